/** Line, word and byte counts of a text, like `wc`. */
export function countText(text) {
  const lines = text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const words = text.split(/\s+/).filter(Boolean).length;
  return { lines, words, bytes: Buffer.byteLength(text) };
}
