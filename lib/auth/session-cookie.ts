// The UI session cookie: its name, how it is read and written. No database here, so the page
// proxy (proxy.ts) can use it for its optimistic check; lib/auth/session.ts holds the truth.

export const sessionCookieName = "factory_session";
export const sessionMaxAgeSec = 7 * 24 * 3600;

/** 32 random bytes, base64url: exactly 43 characters of [A-Za-z0-9_-]. */
const secretPattern = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedSessionSecret(value: string | undefined): value is string {
  return typeof value === "string" && secretPattern.test(value);
}

/** The session secret from a Cookie header, or undefined when absent or malformed (never throws). */
export function readSessionCookie(cookieHeader: string | null): string | undefined {
  for (const part of cookieHeader?.split(";") ?? []) {
    const separator = part.indexOf("=");
    if (separator < 0 || part.slice(0, separator).trim() !== sessionCookieName) continue;
    const value = part.slice(separator + 1).trim();
    // The secret is base64url, so it never needs (or gets) percent-decoding.
    return isWellFormedSessionSecret(value) ? value : undefined;
  }
  return undefined;
}

/**
 * SameSite=Strict: the browser never sends the cookie with a request another site starts, so a
 * page elsewhere cannot act with it. HttpOnly keeps it from scripts; Secure over https.
 */
export function buildSessionCookie(secret: string, options: { isSecure: boolean; maxAgeSec?: number }): string {
  return [
    `${sessionCookieName}=${secret}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${options.maxAgeSec ?? sessionMaxAgeSec}`,
    ...(options.isSecure ? ["Secure"] : []),
  ].join("; ");
}

export function buildClearedSessionCookie(options: { isSecure: boolean }): string {
  return buildSessionCookie("", { ...options, maxAgeSec: 0 });
}
