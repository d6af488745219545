function isObject(value) {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

/** Merges configuration objects; later sources win. */
export function deepMerge(...sources) {
  const target = sources[0] ?? {};
  for (const source of sources.slice(1)) {
    if (!source) continue;
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (value === undefined) continue;
      if (isObject(value) && isObject(target[key])) target[key] = deepMerge(target[key], value);
      else target[key] = value;
    }
  }
  return target;
}
