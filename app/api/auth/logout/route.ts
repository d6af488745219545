import { assertJsonContentType, assertSameOriginRequest, isSecureCookieNeeded, revokeSession } from "@/lib/auth/session";
import { buildClearedSessionCookie, readSessionCookie } from "@/lib/auth/session-cookie";
import { handleRoute } from "@/lib/http";

export async function POST(request: Request) {
  return handleRoute(async () => {
    assertSameOriginRequest(request);
    assertJsonContentType(request);
    await revokeSession(readSessionCookie(request.headers.get("cookie")));
    return Response.json({ ok: true }, { headers: { "set-cookie": buildClearedSessionCookie({ isSecure: isSecureCookieNeeded() }) } });
  });
}
