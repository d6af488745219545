import assert from "node:assert/strict";
import test from "node:test";
import { slugify } from "../src/strings.js";

test("slugify makes lowercase dash-separated slugs", () => {
  assert.equal(slugify("Crème Brûlée!"), "creme-brulee");
  assert.equal(slugify("a b", { separator: "_" }), "a_b");
  assert.equal(slugify("hello world", { maxLength: 6 }), "hello");
  assert.throws(() => slugify(1), TypeError);
});
