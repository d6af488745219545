// Sends browsers without a valid session to /login. An optimistic check for pages only:
// every API route still authenticates each request itself (lib/auth/session.ts).
import { NextResponse, type NextRequest } from "next/server";
import { isValidSessionCookie, sessionCookieName } from "./lib/auth/session";

export function proxy(request: NextRequest) {
  if (isValidSessionCookie(request.cookies.get(sessionCookieName)?.value)) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("next", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything except the API, the login page and static assets.
  matcher: ["/((?!api/|login|_next/|favicon.ico).*)"],
};
