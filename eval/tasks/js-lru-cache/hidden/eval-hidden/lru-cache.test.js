import assert from "node:assert/strict";
import test from "node:test";
import { LRUCache } from "../src/index.js";

test("stores and reads values", () => {
  const cache = new LRUCache({ capacity: 2 });
  assert.equal(cache.set("a", 1), cache);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("missing"), undefined);
  assert.equal(cache.size, 2);
  assert.equal(cache.has("b"), true);
  assert.equal(cache.has("c"), false);
});

test("evicts the least recently used entry and reports it", () => {
  const evicted = [];
  const cache = new LRUCache({ capacity: 2, onEvict: (key, value) => evicted.push([key, value]) });
  cache.set("a", 1).set("b", 2);
  cache.get("a");
  cache.set("c", 3);
  assert.deepEqual(evicted, [["b", 2]]);
  assert.equal(cache.has("b"), false);
  assert.deepEqual(cache.keys(), ["c", "a"]);
});

test("replacing a key refreshes it and never evicts", () => {
  const evicted = [];
  const cache = new LRUCache({ capacity: 2, onEvict: (key) => evicted.push(key) });
  cache.set("a", 1).set("b", 2).set("a", 10);
  assert.deepEqual(evicted, []);
  assert.equal(cache.size, 2);
  assert.deepEqual(cache.keys(), ["a", "b"]);
  cache.set("c", 3);
  assert.deepEqual(evicted, ["b"]);
  assert.equal(cache.get("a"), 10);
});

test("peek does not change the order", () => {
  const cache = new LRUCache({ capacity: 2 });
  cache.set("a", 1).set("b", 2);
  assert.equal(cache.peek("a"), 1);
  cache.set("c", 3);
  assert.equal(cache.has("a"), false);
  assert.deepEqual(cache.keys(), ["c", "b"]);
});

test("delete and clear", () => {
  const evicted = [];
  const cache = new LRUCache({ capacity: 3, onEvict: (key) => evicted.push(key) });
  cache.set("a", 1).set("b", 2);
  assert.equal(cache.delete("a"), true);
  assert.equal(cache.delete("a"), false);
  assert.equal(cache.size, 1);
  cache.clear();
  assert.equal(cache.size, 0);
  assert.deepEqual(cache.keys(), []);
  assert.deepEqual(evicted, []);
});

test("keys compare like Map keys", () => {
  const cache = new LRUCache({ capacity: 3 });
  const objectKey = {};
  cache.set(1, "number").set("1", "string").set(objectKey, "object");
  assert.equal(cache.get(1), "number");
  assert.equal(cache.get("1"), "string");
  assert.equal(cache.get(objectKey), "object");
  assert.equal(cache.get({}), undefined);
  cache.set(undefined, "undefined key");
  assert.equal(cache.size, 3);
  assert.equal(cache.get(undefined), "undefined key");
});

test("stored undefined values still count as present", () => {
  const cache = new LRUCache({ capacity: 1 });
  cache.set("a", undefined);
  assert.equal(cache.has("a"), true);
  assert.equal(cache.size, 1);
});

test("capacity 1", () => {
  const cache = new LRUCache({ capacity: 1 });
  cache.set("a", 1).set("b", 2);
  assert.deepEqual(cache.keys(), ["b"]);
});

test("bad capacity throws a RangeError", () => {
  for (const capacity of [0, -1, 1.5, NaN, undefined]) {
    assert.throws(() => new LRUCache({ capacity }), RangeError, String(capacity));
  }
});
