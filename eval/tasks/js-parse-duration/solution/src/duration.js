const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)\s*/iy;

/** "1h 30m" -> 5 400 000. Throws a TypeError naming the input when it is not a duration. */
export function parseDuration(text) {
  if (typeof text !== "string") throw new TypeError(`not a duration: ${String(text)}`);
  const trimmed = text.trim();
  if (!trimmed) throw new TypeError(`not a duration: "${text}"`);
  part.lastIndex = 0;
  let total = 0;
  while (part.lastIndex < trimmed.length) {
    const match = part.exec(trimmed);
    if (!match) throw new TypeError(`not a duration: ${trimmed}`);
    total += Number(match[1]) * unitMs[match[2].toLowerCase()];
  }
  return Math.round(total);
}

/** 5 400 000 -> "1h 30m": largest units first, zero parts left out. */
export function formatDuration(ms) {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`not a whole, non-negative number of milliseconds: ${ms}`);
  if (ms === 0) return "0ms";
  const parts = [];
  let rest = ms;
  for (const [unit, size] of Object.entries(unitMs)) {
    const count = Math.floor(rest / size);
    if (count) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join(" ");
}
