import assert from "node:assert/strict";
import test from "node:test";
import { paginate } from "../src/paginate.js";

test("reports the total item count", () => {
  const result = paginate([1, 2, 3, 4], 1, 2);
  assert.equal(result.totalItems, 4);
  assert.equal(result.perPage, 2);
  assert.equal(result.hasPrevious, false);
});
