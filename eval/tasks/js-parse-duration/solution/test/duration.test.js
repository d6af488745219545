import assert from "node:assert/strict";
import test from "node:test";
import { formatDuration, parseDuration } from "../src/duration.js";

test("parses and formats", () => {
  assert.equal(parseDuration("1h 30m"), 5_400_000);
  assert.equal(formatDuration(5_400_000), "1h 30m");
  assert.throws(() => parseDuration("5w"), TypeError);
});
