import assert from "node:assert/strict";
import test from "node:test";
import * as strings from "../src/strings.js";

const { slugify } = strings;

test("lowercases and joins words with dashes", () => {
  assert.equal(slugify("Hello World"), "hello-world");
  assert.equal(slugify("  Many   spaces\tand\nlines "), "many-spaces-and-lines");
});

test("strips accents", () => {
  assert.equal(slugify("Crème Brûlée"), "creme-brulee");
  assert.equal(slugify("Ångström São Paulo"), "angstrom-sao-paulo");
});

test("collapses punctuation runs and trims separators", () => {
  assert.equal(slugify("--Hello, World!!--"), "hello-world");
  assert.equal(slugify("a...b___c"), "a-b-c");
  assert.equal(slugify("Version 2.0 (beta)"), "version-2-0-beta");
});

test("returns an empty string when nothing is left", () => {
  assert.equal(slugify(""), "");
  assert.equal(slugify("!!! ???"), "");
});

test("custom separator", () => {
  assert.equal(slugify("Hello World Again", { separator: "_" }), "hello_world_again");
});

test("maxLength cuts without a trailing separator", () => {
  assert.equal(slugify("hello world", { maxLength: 5 }), "hello");
  assert.equal(slugify("hello world", { maxLength: 6 }), "hello");
  assert.equal(slugify("hello world", { maxLength: 8 }), "hello-wo");
  assert.ok(slugify("a b c d e f g", { maxLength: 4 }).length <= 4);
  assert.equal(slugify("short", { maxLength: 50 }), "short");
});

test("non-strings throw a TypeError", () => {
  assert.throws(() => slugify(42), TypeError);
  assert.throws(() => slugify(null), TypeError);
  assert.throws(() => slugify(undefined), TypeError);
});

test("existing helpers still work", () => {
  assert.equal(strings.capitalize("x"), "X");
  assert.equal(strings.truncate("abcdef", 3), "ab…");
});
