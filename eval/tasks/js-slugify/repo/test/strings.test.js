import assert from "node:assert/strict";
import test from "node:test";
import { capitalize, truncate } from "../src/strings.js";

test("capitalize upper-cases the first letter", () => {
  assert.equal(capitalize("hello"), "Hello");
  assert.equal(capitalize(""), "");
});

test("truncate cuts long text with an ellipsis", () => {
  assert.equal(truncate("hello world", 5), "hell…");
  assert.equal(truncate("hi", 5), "hi");
});
