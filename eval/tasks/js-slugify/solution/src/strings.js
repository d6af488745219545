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

/** A URL-safe lowercase ASCII slug: accents stripped, other characters collapsed into separators. */
export function slugify(text, options = {}) {
  if (typeof text !== "string") throw new TypeError("slugify expects a string");
  const separator = options.separator ?? "-";
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = words.join(separator);
  if (options.maxLength !== undefined && slug.length > options.maxLength) {
    slug = slug.slice(0, options.maxLength);
    while (separator && slug.endsWith(separator)) slug = slug.slice(0, -separator.length);
  }
  return slug;
}
