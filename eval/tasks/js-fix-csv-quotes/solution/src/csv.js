/** Parses CSV text (RFC 4180) into an array of records (arrays of strings). */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let field = "";
  let index = 0;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = "";
  };
  while (index < text.length) {
    if (text[index] === '"' && field === "") {
      const startLine = line;
      index++;
      for (;;) {
        if (index >= text.length) throw new SyntaxError(`unclosed quoted field in the record starting on line ${recordLine} (quote opened on line ${startLine})`);
        const char = text[index];
        if (char === '"') {
          if (text[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index++;
          break;
        }
        if (char === "\n") line++;
        field += char;
        index++;
      }
      const next = text[index];
      if (index < text.length && next !== "," && next !== "\n" && !(next === "\r" && text[index + 1] === "\n")) {
        throw new SyntaxError(`unexpected text after a closing quote in the record starting on line ${recordLine}`);
      }
      continue;
    }
    const char = text[index];
    if (char === ",") {
      record.push(field);
      field = "";
      index++;
    } else if (char === "\n" || (char === "\r" && text[index + 1] === "\n")) {
      index += char === "\r" ? 2 : 1;
      line++;
      endRecord();
      recordLine = line;
    } else {
      field += char;
      index++;
    }
  }
  if (field !== "" || record.length > 0) endRecord();
  return records;
}

/** Parses CSV text whose first record is a header row into objects keyed by the header. */
export function parseCsvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ""])));
}
