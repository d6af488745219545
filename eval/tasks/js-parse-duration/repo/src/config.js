/** Normalises a job config: name required, timeout in milliseconds (default 30 s). */
export function loadJobConfig(raw) {
  if (!raw || typeof raw.name !== "string" || !raw.name) throw new TypeError("a job needs a name");
  const timeout = raw.timeout ?? 30_000;
  if (typeof timeout !== "number" || timeout < 0) throw new TypeError("timeout must be a number of milliseconds");
  return { name: raw.name, timeoutMs: timeout, retries: raw.retries ?? 0 };
}
