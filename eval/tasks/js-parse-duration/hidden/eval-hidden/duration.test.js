import assert from "node:assert/strict";
import test from "node:test";
import { loadJobConfig } from "../src/config.js";
import { formatDuration, parseDuration } from "../src/duration.js";

test("single units", () => {
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("2d"), 172_800_000);
});

test("combined parts, spaces and case", () => {
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("1h 30m"), 5_400_000);
  assert.equal(parseDuration("  1H 30M 15S "), 5_415_000);
  assert.equal(parseDuration("1m1ms"), 60_001);
  assert.equal(parseDuration("1MS"), 1);
});

test("decimals round to whole milliseconds", () => {
  assert.equal(parseDuration("1.5h"), 5_400_000);
  assert.equal(parseDuration("0.5s"), 500);
  assert.equal(parseDuration("0.0004s"), 0);
  assert.equal(parseDuration("1.5ms"), 2);
});

test("bad input throws a TypeError naming it", () => {
  for (const text of ["", "   ", "10", "5w", "-5s", "1h-30m", "h", "1.s", "1 h", "ms", "1e3ms", "+5s"]) {
    assert.throws(() => parseDuration(text), (error) => error instanceof TypeError && error.message.includes(text.trim()), JSON.stringify(text));
  }
  for (const value of [10, null, undefined, {}]) assert.throws(() => parseDuration(value), TypeError);
});

test("formatDuration", () => {
  assert.equal(formatDuration(5_400_000), "1h 30m");
  assert.equal(formatDuration(90_061_001), "1d 1h 1m 1s 1ms");
  assert.equal(formatDuration(0), "0ms");
  assert.equal(formatDuration(1000), "1s");
  assert.equal(formatDuration(86_400_000 * 3), "3d");
  for (const bad of [-1, 1.5, Infinity, NaN]) assert.throws(() => formatDuration(bad), RangeError, String(bad));
});

test("round trip", () => {
  for (const ms of [1, 999, 1000, 61_000, 3_600_001, 90_061_001, 987_654_321]) assert.equal(parseDuration(formatDuration(ms)), ms);
});

test("config accepts duration strings and numbers", () => {
  assert.equal(loadJobConfig({ name: "x", timeout: "2m" }).timeoutMs, 120_000);
  assert.equal(loadJobConfig({ name: "x", timeout: 1500 }).timeoutMs, 1500);
  assert.equal(loadJobConfig({ name: "x" }).timeoutMs, 30_000);
  assert.throws(() => loadJobConfig({ name: "x", timeout: "soon" }), TypeError);
});
