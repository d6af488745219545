// Runs before every page (not the API or static files). It sets a per-request Content Security
// Policy whose nonce Next puts on its own scripts, and sends browsers without a session cookie
// to /login. The cookie check is optimistic: pages load their data through the API, and every
// API route checks the session against the database itself (lib/auth/session.ts).
import { NextResponse, type NextRequest } from "next/server";
import { buildContentSecurityPolicy } from "./lib/auth/content-security-policy";
import { readSessionCookie } from "./lib/auth/session-cookie";
import { getEnv, publicUrl } from "./lib/env";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = buildContentSecurityPolicy({ nonce, isDev: getEnv().NODE_ENV === "development", isHttps: publicUrl().startsWith("https://") });

  const isLoginPage = request.nextUrl.pathname === "/login";
  let response: NextResponse;
  if (isLoginPage || readSessionCookie(request.headers.get("cookie"))) {
    // Next reads the nonce from the request's CSP header and applies it while rendering.
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", policy);
    response = NextResponse.next({ request: { headers } });
  } else {
    const login = new URL("/login", request.url);
    login.searchParams.set("next", request.nextUrl.pathname + request.nextUrl.search);
    response = NextResponse.redirect(login);
  }
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Every page; not the API (JSON, with its own headers from next.config.ts), not static files.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
