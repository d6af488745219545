import assert from "node:assert/strict";
import test from "node:test";
import { parseCsv, parseCsvObjects } from "../src/csv.js";

test("simple records", () => {
  assert.deepEqual(parseCsv("a,b,c\n1,2,3\n"), [["a", "b", "c"], ["1", "2", "3"]]);
});

test("objects from a header row", () => {
  assert.deepEqual(parseCsvObjects("name,age\nAda,36\n"), [{ name: "Ada", age: "36" }]);
});
