import assert from "node:assert/strict";
import test from "node:test";
import { deepMerge } from "../src/merge.js";

test("later sources win, nested objects merge", () => {
  assert.deepEqual(deepMerge({ a: 1, nested: { x: 1, y: 2 } }, { nested: { y: 3 } }), { a: 1, nested: { x: 1, y: 3 } });
});

test("undefined does not overwrite", () => {
  assert.deepEqual(deepMerge({ a: 1 }, { a: undefined }), { a: 1 });
});
