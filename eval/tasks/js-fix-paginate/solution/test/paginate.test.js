import assert from "node:assert/strict";
import test from "node:test";
import { paginate } from "../src/paginate.js";

test("reports the total item count", () => {
  const result = paginate([1, 2, 3, 4], 1, 2);
  assert.equal(result.totalItems, 4);
  assert.equal(result.perPage, 2);
  assert.equal(result.hasPrevious, false);
});

test("second page and partial last page", () => {
  const items = Array.from({ length: 25 }, (_, i) => i + 1);
  assert.equal(paginate(items, 2, 10).items[0], 11);
  assert.equal(paginate(items, 3, 10).totalPages, 3);
  assert.deepEqual(paginate(items, 4, 10).items, []);
  assert.throws(() => paginate(items, 1, 0), RangeError);
});
