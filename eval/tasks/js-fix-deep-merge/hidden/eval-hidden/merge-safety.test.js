import assert from "node:assert/strict";
import test from "node:test";
import { deepMerge } from "../src/merge.js";
import { defaultSettings, resolveSettings } from "../src/settings.js";

test("sources are never modified", () => {
  const defaults = { theme: { mode: "light" }, list: [1, 2] };
  const snapshot = structuredClone(defaults);
  const user = { theme: { mode: "dark", extra: { deep: true } }, list: [3] };
  const userSnapshot = structuredClone(user);
  const merged = deepMerge(defaults, user);
  assert.deepEqual(defaults, snapshot);
  assert.deepEqual(user, userSnapshot);
  assert.deepEqual(merged, { theme: { mode: "dark", extra: { deep: true } }, list: [3] });
  merged.theme.extra.deep = false;
  assert.equal(user.theme.extra.deep, true, "the result must not share nested objects with a source");
});

test("shared defaults stay intact across users", () => {
  const before = structuredClone(defaultSettings);
  const alice = resolveSettings({ theme: { accent: "green" } }, { editor: { tabSize: 4 } });
  const bob = resolveSettings({}, {});
  assert.deepEqual(defaultSettings, before);
  assert.equal(alice.editor.tabSize, 4);
  assert.equal(alice.theme.accent, "green");
  assert.equal(bob.editor.tabSize, 2);
  assert.equal(bob.theme.accent, "blue");
});

test("prototype pollution is blocked at every depth", () => {
  deepMerge({}, JSON.parse('{"__proto__": {"polluted": "yes"}}'));
  deepMerge({}, JSON.parse('{"nested": {"__proto__": {"polluted": "yes"}}}'));
  deepMerge({}, JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'));
  deepMerge({ nested: {} }, JSON.parse('{"nested": {"constructor": {"prototype": {"polluted": "yes"}}}}'));
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
  const merged = deepMerge({ a: 1 }, JSON.parse('{"__proto__": {"b": 2}, "constructor": 3, "prototype": 4, "c": 5}'));
  assert.deepEqual(Object.keys(merged).sort(), ["a", "c"]);
  assert.equal(merged.b, undefined);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
});

test("arrays are replaced by a copy", () => {
  const source = { tags: ["c"] };
  const merged = deepMerge({ tags: ["a", "b"] }, source);
  assert.deepEqual(merged.tags, ["c"]);
  merged.tags.push("d");
  assert.deepEqual(source.tags, ["c"]);
  assert.deepEqual(deepMerge({ tags: { a: 1 } }, { tags: [1] }).tags, [1]);
  assert.deepEqual(deepMerge({ tags: [1] }, { tags: { a: 1 } }).tags, { a: 1 });
});

test("non-plain objects replace as they are", () => {
  class Point {
    constructor(x) {
      this.x = x;
    }
  }
  const date = new Date(0);
  const point = new Point(1);
  const fn = () => 1;
  const merged = deepMerge({ when: { a: 1 }, where: { y: 2 }, how: { z: 3 }, gone: { a: 1 } }, { when: date, where: point, how: fn, gone: null });
  assert.equal(merged.when, date);
  assert.equal(merged.where, point);
  assert.equal(merged.how, fn);
  assert.equal(merged.gone, null);
  assert.deepEqual(deepMerge({ p: new Point(1) }, { p: { x: 2 } }).p, { x: 2 });
});

test("null-prototype objects merge", () => {
  const bare = Object.create(null);
  bare.a = { b: 1 };
  assert.deepEqual(JSON.parse(JSON.stringify(deepMerge(bare, { a: { c: 2 } }))), { a: { b: 1, c: 2 } });
});

test("edge cases", () => {
  assert.deepEqual(deepMerge(), {});
  assert.deepEqual(deepMerge(null, { a: 1 }, undefined), { a: 1 });
  assert.deepEqual(deepMerge({ a: 1 }, { a: undefined, b: undefined }), { a: 1 });
  assert.deepEqual(deepMerge({ a: { b: 1 } }, { a: { b: 2 } }, { a: { c: 3 } }), { a: { b: 2, c: 3 } });
});
