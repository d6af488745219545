export { LRUCache } from "./lru-cache.js";
export const version = "0.1.0";
