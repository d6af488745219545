import assert from "node:assert/strict";
import test from "node:test";
import { paginate } from "../src/paginate.js";

const numbers = Array.from({ length: 25 }, (_, index) => index + 1);

test("first and middle pages", () => {
  assert.deepEqual(paginate(numbers, 1, 10).items, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(paginate(numbers, 2, 10).items, [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
});

test("a partial last page counts", () => {
  const last = paginate(numbers, 3, 10);
  assert.deepEqual(last.items, [21, 22, 23, 24, 25]);
  assert.equal(last.totalPages, 3);
  assert.equal(last.hasNext, false);
  assert.equal(last.hasPrevious, true);
  assert.equal(paginate(numbers, 2, 10).hasNext, true);
  assert.equal(paginate(numbers.slice(0, 20), 1, 10).totalPages, 2);
});

test("pages out of range are empty but described", () => {
  for (const page of [0, -1, 4, 100]) {
    const result = paginate(numbers, page, 10);
    assert.deepEqual(result.items, [], `page ${page}`);
    assert.equal(result.totalItems, 25);
    assert.equal(result.totalPages, 3);
    assert.equal(result.page, page);
  }
});

test("an empty list has no pages", () => {
  const result = paginate([], 1, 10);
  assert.deepEqual(result, { items: [], page: 1, perPage: 10, totalItems: 0, totalPages: 0, hasNext: false, hasPrevious: false });
});

test("bad perPage or page throws a RangeError", () => {
  for (const perPage of [0, -5, 2.5, NaN, Infinity]) assert.throws(() => paginate(numbers, 1, perPage), RangeError, `perPage ${perPage}`);
  for (const page of [1.5, NaN]) assert.throws(() => paginate(numbers, page, 10), RangeError, `page ${page}`);
});

test("does not modify the input", () => {
  const input = [3, 1, 2];
  const copy = [...input];
  paginate(input, 1, 2);
  assert.deepEqual(input, copy);
});

test("one item per page", () => {
  assert.deepEqual(paginate(["a", "b", "c"], 3, 1).items, ["c"]);
  assert.equal(paginate(["a", "b", "c"], 3, 1).totalPages, 3);
});
