import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import test from "node:test";

const cli = path.join(import.meta.dirname, "..", "bin", "wordcount.js");
const dir = mkdtempSync(path.join(os.tmpdir(), "wc-hidden-"));
const sample = path.join(dir, "sample.txt");
writeFileSync(sample, "The cat and the hat.\nThe CAT sat; a dog didn't.\n");

function run(args, input) {
  const result = spawnSync(process.execPath, [cli, ...args], { input, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("without options the output is unchanged", () => {
  assert.deepEqual(run([sample]), { status: 0, stdout: "2\t11\t48\n", stderr: "" });
});

test("--top lists the most frequent words, ties alphabetical", () => {
  const { status, stdout } = run(["--top", "3", sample]);
  assert.equal(status, 0);
  assert.equal(stdout, "2\t11\t48\nthe\t3\ncat\t2\na\t1\n");
});

test("options may follow the file", () => {
  assert.equal(run([sample, "--top", "1"]).stdout, "2\t11\t48\nthe\t3\n");
});

test("apostrophes stay inside words", () => {
  const { stdout } = run(["--top", "20", sample]);
  assert.match(stdout, /^didn't\t1$/m);
});

test("--top larger than the vocabulary lists every word", () => {
  const lines = run(["--top", "100", sample]).stdout.trim().split("\n");
  assert.equal(lines.length, 1 + 8);
});

test("--json prints one object", () => {
  const { status, stdout } = run(["--json", sample]);
  assert.equal(status, 0);
  assert.deepEqual(JSON.parse(stdout), { lines: 2, words: 11, bytes: 48 });
});

test("--json with --top includes the top words", () => {
  const { stdout } = run(["--json", "--top", "2", sample]);
  assert.deepEqual(JSON.parse(stdout), { lines: 2, words: 11, bytes: 48, top: [{ word: "the", count: 3 }, { word: "cat", count: 2 }] });
});

test("options work on standard input", () => {
  assert.deepEqual(JSON.parse(run(["--json"], "x y x").stdout), { lines: 1, words: 3, bytes: 5 });
});

test("an unknown option exits 2 with a message", () => {
  const result = run(["--verbose", sample]);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /--verbose/);
});

test("--top needs a positive integer", () => {
  for (const args of [["--top"], ["--top", "zero", sample], ["--top", "0", sample], ["--top", "-2", sample], ["--top", "1.5", sample]]) {
    const result = run(args, "a b");
    assert.equal(result.status, 2, args.join(" "));
    assert.equal(result.stdout, "", args.join(" "));
    assert.match(result.stderr, /top/, args.join(" "));
  }
});
