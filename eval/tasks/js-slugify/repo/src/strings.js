/** Upper-cases the first character. */
export function capitalize(text) {
  if (typeof text !== "string") throw new TypeError("capitalize expects a string");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Shortens text to at most `length` characters, ending with an ellipsis when cut. */
export function truncate(text, length) {
  if (typeof text !== "string") throw new TypeError("truncate expects a string");
  if (text.length <= length) return text;
  return `${text.slice(0, Math.max(0, length - 1))}…`;
}
