import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import test from "node:test";
import { countText } from "../src/count.js";

const cli = path.join(import.meta.dirname, "..", "bin", "wordcount.js");

test("counts lines, words and bytes", () => {
  assert.deepEqual(countText("one two\nthree\n"), { lines: 2, words: 3, bytes: 14 });
  assert.deepEqual(countText(""), { lines: 0, words: 0, bytes: 0 });
});

test("the CLI prints the counts of a file", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wc-"));
  writeFileSync(path.join(dir, "a.txt"), "hello world\n");
  assert.equal(execFileSync(process.execPath, [cli, path.join(dir, "a.txt")], { encoding: "utf8" }), "1\t2\t12\n");
});

test("the CLI reads standard input", () => {
  assert.equal(execFileSync(process.execPath, [cli], { input: "a b c", encoding: "utf8" }), "1\t3\t5\n");
});
