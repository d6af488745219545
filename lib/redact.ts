import { secretValues } from "./env";

/** Replaces every configured secret value (and basic-auth credentials in URLs) with a marker. */
export function redactSecrets(text: string, secrets: string[] = secretValues()): string {
  let result = text.replace(/(https?:\/\/)[^/\s:@]+:[^/\s@]+@/g, "$1***@");
  for (const secret of secrets) result = result.split(secret).join("[redacted]");
  return result;
}
