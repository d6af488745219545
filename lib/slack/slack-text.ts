// Helpers that turn untrusted text and numbers into Slack mrkdwn that stays inside Slack's
// limits. Titles, task names and errors come from users and models, so nothing reaches a
// message unescaped: an unescaped "<!channel>" would ping a whole channel.

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes Slack's control characters (&, <, >). With `maxLength`, cuts the escaped result at a
 * character boundary (never inside an entity such as `&amp;`) and ends it with "…".
 */
export function escapeMrkdwn(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  let result = "";
  const characters = Array.from(text);
  for (const [index, character] of characters.entries()) {
    const piece = escapes[character] ?? character;
    const isLast = index === characters.length - 1;
    if (result.length + piece.length + (isLast ? 0 : 1) > maxLength) return `${result}…`;
    result += piece;
  }
  return result;
}

/** A mrkdwn link; only http(s) URLs become links, anything else shows the label alone. */
export function linkMrkdwn(url: string, label: string): string {
  const safeLabel = escapeMrkdwn(label);
  if (!/^https?:\/\//i.test(url)) return safeLabel;
  return `<${escapeMrkdwn(url).replace(/\|/g, "%7C")}|${safeLabel}>`;
}

/** Joins lines until `limit` characters, then ends with "…and N more" for the lines left out. */
export function joinLinesWithin(lines: string[], limit: number): string {
  const reserve = 24; // room for "\n_…and 99999 more_"
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (kept.length ? 1 : 0) + line.length;
    const isLastLine = kept.length === lines.length - 1;
    if (length + added > limit - (isLastLine ? 0 : reserve)) break;
    kept.push(line);
    length += added;
  }
  const left = lines.length - kept.length;
  return left > 0 ? [...kept, `_…and ${left} more_`].join("\n") : kept.join("\n");
}


/** "1h 5m", "12m 5s", "45s". */
export function formatDuration(milliseconds: number): string {
  const totalSeconds = Math.max(0, Math.round(milliseconds / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/** "1,234,567". */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
