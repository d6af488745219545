// API auth: a bearer FACTORY_API_TOKEN, or the UI's session cookie. The cookie holds an
// expiry and an HMAC keyed by the token, so rotating the token logs every browser out.
import { createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";
import { AppError } from "../errors";

export const sessionCookieName = "factory_session";
export const sessionMaxAgeSec = 7 * 24 * 3600;

function apiTokenOrThrow(): string {
  const token = getEnv().FACTORY_API_TOKEN;
  if (!token) {
    throw new AppError("unavailable", "FACTORY_API_TOKEN is not set. Start the factory with `npm run dev` or `npm start`, which create one, or set it yourself (16+ characters).");
  }
  return token;
}

function safeEqual(a: string, b: string): boolean {
  // Hash both sides first so the comparison takes the same time whatever the lengths.
  const hash = (value: string) => createHmac("sha256", "compare").update(value).digest();
  return timingSafeEqual(hash(a), hash(b));
}

function sign(payload: string, token: string): string {
  return createHmac("sha256", token).update(`session:${payload}`).digest("base64url");
}

export function isValidApiToken(candidate: string): boolean {
  return safeEqual(candidate, apiTokenOrThrow());
}

export function createSessionCookieValue(now = Date.now()): string {
  const expiresAt = String(Math.floor(now / 1000) + sessionMaxAgeSec);
  return `${expiresAt}.${sign(expiresAt, apiTokenOrThrow())}`;
}

export function isValidSessionCookie(value: string | undefined, now = Date.now()): boolean {
  if (!value) return false;
  const [expiresAt, signature] = value.split(".");
  if (!expiresAt || !signature || !/^\d+$/.test(expiresAt)) return false;
  if (Number(expiresAt) * 1000 < now) return false;
  return safeEqual(signature, sign(expiresAt, apiTokenOrThrow()));
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** Throws 401 unless the request carries the API token or a valid session cookie. */
export function requireAuth(request: Request): void {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = authorization.match(/^Bearer\s+(.+)$/i);
    if (match && isValidApiToken(match[1].trim())) return;
    throw new AppError("unauthorized", "Invalid API token. Send `Authorization: Bearer <FACTORY_API_TOKEN>`.");
  }
  if (isValidSessionCookie(readCookie(request.headers.get("cookie"), sessionCookieName))) return;
  throw new AppError("unauthorized", "Not logged in. Send `Authorization: Bearer <FACTORY_API_TOKEN>` or log in at /login.");
}
