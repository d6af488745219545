import assert from "node:assert/strict";
import test from "node:test";
import { loadJobConfig } from "../src/config.js";

test("defaults", () => {
  assert.deepEqual(loadJobConfig({ name: "backup" }), { name: "backup", timeoutMs: 30_000, retries: 0 });
});

test("numeric timeout", () => {
  assert.equal(loadJobConfig({ name: "x", timeout: 500 }).timeoutMs, 500);
});

test("a name is required", () => {
  assert.throws(() => loadJobConfig({}), TypeError);
});
