import assert from "node:assert/strict";
import test from "node:test";
import { LRUCache } from "../src/lru-cache.js";

test("evicts the least recently used", () => {
  const evicted = [];
  const cache = new LRUCache({ capacity: 2, onEvict: (key) => evicted.push(key) });
  cache.set("a", 1).set("b", 2);
  cache.get("a");
  cache.set("c", 3);
  assert.deepEqual(evicted, ["b"]);
  assert.deepEqual(cache.keys(), ["c", "a"]);
  assert.throws(() => new LRUCache({ capacity: 0 }), RangeError);
});
