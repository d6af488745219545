// Transcripts are stored and logged only after every string in them has been redacted.
import { redactSecrets } from "../redact";

/** Deep copy with every string redacted (works on JSON text inside strings too). */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)])) as T;
  }
  return value;
}
