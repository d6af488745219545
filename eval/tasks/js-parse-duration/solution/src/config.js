import { parseDuration } from "./duration.js";

/** Normalises a job config: name required, timeout in milliseconds or a duration string (default 30 s). */
export function loadJobConfig(raw) {
  if (!raw || typeof raw.name !== "string" || !raw.name) throw new TypeError("a job needs a name");
  const timeout = typeof raw.timeout === "string" ? parseDuration(raw.timeout) : (raw.timeout ?? 30_000);
  if (typeof timeout !== "number" || timeout < 0) throw new TypeError("timeout must be a number of milliseconds or a duration");
  return { name: raw.name, timeoutMs: timeout, retries: raw.retries ?? 0 };
}
