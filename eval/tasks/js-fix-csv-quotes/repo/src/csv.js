/** Parses CSV text into an array of records (arrays of strings). */
export function parseCsv(text) {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => line.split(",").map((field) => field.replace(/^"|"$/g, "")));
}

/** Parses CSV text whose first record is a header row into objects keyed by the header. */
export function parseCsvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ""])));
}
