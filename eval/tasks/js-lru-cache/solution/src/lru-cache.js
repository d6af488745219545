/** A fixed-capacity cache that evicts the least recently used entry. A Map keeps insertion order, so re-inserting a key makes it the newest. */
export class LRUCache {
  #entries = new Map();
  #capacity;
  #onEvict;

  constructor({ capacity, onEvict } = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
    this.#capacity = capacity;
    this.#onEvict = onEvict;
  }

  get size() {
    return this.#entries.size;
  }

  set(key, value) {
    const isNew = !this.#entries.has(key);
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (isNew && this.#entries.size > this.#capacity) {
      const [oldestKey, oldestValue] = this.#entries.entries().next().value;
      this.#entries.delete(oldestKey);
      this.#onEvict?.(oldestKey, oldestValue);
    }
    return this;
  }

  get(key) {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key);
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  peek(key) {
    return this.#entries.get(key);
  }

  has(key) {
    return this.#entries.has(key);
  }

  delete(key) {
    return this.#entries.delete(key);
  }

  clear() {
    this.#entries.clear();
  }

  keys() {
    return [...this.#entries.keys()].reverse();
  }
}
