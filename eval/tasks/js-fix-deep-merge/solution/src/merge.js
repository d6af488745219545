const forbiddenKeys = new Set(["__proto__", "constructor", "prototype"]);

function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function copyValue(value) {
  if (Array.isArray(value)) return value.map(copyValue);
  if (isPlainObject(value)) return mergeInto({}, value);
  return value;
}

function mergeInto(target, source) {
  for (const key of Object.keys(source)) {
    if (forbiddenKeys.has(key)) continue;
    const value = source[key];
    if (value === undefined) continue;
    target[key] = isPlainObject(value) && isPlainObject(target[key]) ? mergeInto(target[key], value) : copyValue(value);
  }
  return target;
}

/** Merges configuration objects into a new object; later sources win, arrays are replaced, sources are never modified. */
export function deepMerge(...sources) {
  const result = {};
  for (const source of sources) if (source) mergeInto(result, source);
  return result;
}
