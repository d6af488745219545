import assert from "node:assert/strict";
import test from "node:test";
import { parseCsv, parseCsvObjects } from "../src/csv.js";

test("quoted commas", () => {
  assert.deepEqual(parseCsv('name,city\n"Smith, Jane","Paris, FR"\n'), [["name", "city"], ["Smith, Jane", "Paris, FR"]]);
});

test("escaped quotes", () => {
  assert.deepEqual(parseCsv('a,"say ""hi""",""""\n'), [["a", 'say "hi"', '"']]);
  assert.deepEqual(parseCsv('""\n'), [[""]]);
});

test("line breaks inside quotes", () => {
  assert.deepEqual(parseCsv('id,note\n1,"line one\nline two"\n2,"crlf\r\ninside"\n'), [["id", "note"], ["1", "line one\nline two"], ["2", "crlf\r\ninside"]]);
});

test("CRLF record endings", () => {
  assert.deepEqual(parseCsv("a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]]);
  assert.deepEqual(parseCsv("a,b\r\n1,2"), [["a", "b"], ["1", "2"]]);
});

test("empty fields, empty lines and no trimming", () => {
  assert.deepEqual(parseCsv(",a,\n\n b ,\n"), [["", "a", ""], [""], [" b ", ""]]);
  assert.deepEqual(parseCsv(""), []);
  assert.deepEqual(parseCsv("x"), [["x"]]);
});

test("unclosed quote throws a SyntaxError naming the line", () => {
  assert.throws(() => parseCsv('a,b\nc,d\n"open,e\nf\n'), (error) => error instanceof SyntaxError && /\b3\b/.test(error.message));
});

test("text after a closing quote throws a SyntaxError naming the line", () => {
  assert.throws(() => parseCsv('"ab"c,d\n'), (error) => error instanceof SyntaxError && /\b1\b/.test(error.message));
  assert.throws(() => parseCsv('ok\n"x" ,y\n'), (error) => error instanceof SyntaxError && /\b2\b/.test(error.message));
});

test("line numbers count line breaks inside earlier quoted fields", () => {
  assert.throws(() => parseCsv('"a\nb",c\n"d"e\n'), (error) => error instanceof SyntaxError && /\b3\b/.test(error.message));
});

test("objects keep working with quoted headers and values", () => {
  assert.deepEqual(parseCsvObjects('"full name",note\r\n"Lovelace, Ada","first ""programmer"""\r\n'), [{ "full name": "Lovelace, Ada", note: 'first "programmer"' }]);
  assert.deepEqual(parseCsvObjects(""), []);
});
