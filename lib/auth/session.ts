// UI sessions: the database-backed session behind the cookie, and the same-origin rule for
// cookie-authenticated mutations.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";
import { getEnv, publicUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isWellFormedSessionSecret, readSessionCookie, sessionMaxAgeSec } from "./session-cookie";

// API auth: a bearer FACTORY_API_TOKEN, or the UI's session cookie. The cookie carries a random
// secret; the database keeps only an HMAC of it (keyed by the API token) as the AuthSession id,
// so a leaked table gives no usable cookie, logout revokes the row, and rotating the token logs
// every browser out. Cookie-authenticated mutations must also pass the same-origin checks.
export type AuthMethod = "token" | "session";

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

function sessionIdOf(secret: string): string {
  return createHmac("sha256", apiTokenOrThrow()).update(`session:${secret}`).digest("hex");
}

export function isValidApiToken(candidate: string): boolean {
  return safeEqual(candidate, apiTokenOrThrow());
}

export function isSecureCookieNeeded(): boolean {
  return publicUrl().startsWith("https://");
}

/** Starts a session; the returned secret goes into the cookie and nowhere else. */
export async function createSession(now = new Date()): Promise<{ secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + sessionMaxAgeSec * 1000);
  await db.authSession.create({ data: { id: sessionIdOf(secret), expiresAt } });
  // Housekeeping on the rare write path: rows that can never authenticate again go.
  await db.authSession.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: new Date(now.getTime() - 24 * 3600_000) } }] } });
  return { secret, expiresAt };
}

/** True while the session exists, is not revoked and has not expired. */
export async function isActiveSession(secret: string | undefined, now = new Date()): Promise<boolean> {
  if (!isWellFormedSessionSecret(secret)) return false;
  const row = await db.authSession.findUnique({ where: { id: sessionIdOf(secret) }, select: { expiresAt: true, revokedAt: true } });
  return Boolean(row && !row.revokedAt && row.expiresAt > now);
}

/** Logout: the cookie stops working at once, on every app instance. */
export async function revokeSession(secret: string | undefined): Promise<void> {
  if (!isWellFormedSessionSecret(secret)) return;
  await db.authSession.updateMany({ where: { id: sessionIdOf(secret), revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Throws 401 unless the request carries the API token or an active session cookie. With the
 * cookie, a mutation (anything but GET/HEAD/OPTIONS) must also come from this site's own
 * pages (403) as JSON (415): the CSRF defence, in this one place every route goes through.
 */
export async function authenticateRequest(request: Request): Promise<AuthMethod> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = authorization.match(/^Bearer\s+(.+)$/i);
    if (match && isValidApiToken(match[1].trim())) return "token";
    throw new AppError("unauthorized", "Invalid API token. Send `Authorization: Bearer <FACTORY_API_TOKEN>`.");
  }
  if (!(await isActiveSession(readSessionCookie(request.headers.get("cookie"))))) {
    throw new AppError("unauthorized", "Not logged in. Send `Authorization: Bearer <FACTORY_API_TOKEN>` or log in at /login.");
  }
  if (isMutation(request.method)) {
    assertSameOriginRequest(request);
    assertJsonContentType(request);
  }
  return "session";
}

// Cross-site request forgery defence for cookie-authenticated mutations. The browser sets
// Sec-Fetch-Site and Origin itself (a page cannot forge them), so a mutation is accepted only
// when the browser says it comes from this site's own pages, and only as JSON, which no HTML
// form can send and which a cross-origin script can send only after a CORS preflight this app
// never answers. Bearer-token calls carry no ambient credential and are not checked.
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function isMutation(method: string): boolean {
  return !safeMethods.has(method.toUpperCase());
}

/** The origin browsers send for this app, from FACTORY_PUBLIC_URL. */
function publicOrigin(): string {
  return new URL(publicUrl()).origin;
}

/**
 * Throws 403 unless the request comes from one of this app's pages: `Sec-Fetch-Site:
 * same-origin`, or (for browsers that do not send it) an `Origin` equal to FACTORY_PUBLIC_URL's.
 */
export function assertSameOriginRequest(request: Request): void {
  const fetchSite = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  if (fetchSite !== null) {
    if (fetchSite === "same-origin") return;
    throw new AppError("forbidden", `Cross-site request refused (Sec-Fetch-Site: ${fetchSite.slice(0, 20)}). Use the factory's own pages, or the API with a bearer token.`);
  }
  const expected = publicOrigin();
  if (origin === expected) return;
  throw new AppError(
    "forbidden",
    origin
      ? `Cross-site request refused: Origin ${origin.slice(0, 200)} is not ${expected} (FACTORY_PUBLIC_URL).`
      : "Request refused: a browser request must carry an Origin header. Scripts should use the API with a bearer token.",
  );
}

/** Throws 415 unless the body is declared as JSON (`application/json`, any parameters). */
export function assertJsonContentType(request: Request): void {
  const mediaType = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType === "application/json") return;
  throw new AppError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.");
}
