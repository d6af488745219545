/** Line, word and byte counts of a text, like `wc`. */
export function countText(text) {
  const lines = text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const words = text.split(/\s+/).filter(Boolean).length;
  return { lines, words, bytes: Buffer.byteLength(text) };
}

/** The n most frequent words (letters, digits, apostrophes), case-insensitive, ties alphabetical. */
export function topWords(text, n) {
  const counts = new Map();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, n)
    .map(([word, count]) => ({ word, count }));
}
