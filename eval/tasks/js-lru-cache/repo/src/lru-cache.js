/** A fixed-capacity cache that evicts the least recently used entry. */
export class LRUCache {
  constructor(options) {
    throw new Error("not implemented");
  }
}
