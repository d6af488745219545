import { z } from "zod";
import { assertLoginAllowed, clearLoginFailures, loginClientKey, recordLoginFailure } from "@/lib/auth/login-throttle";
import { assertJsonContentType, assertSameOriginRequest, createSession, isSecureCookieNeeded, isValidApiToken } from "@/lib/auth/session";
import { buildSessionCookie } from "@/lib/auth/session-cookie";
import { AppError } from "@/lib/errors";
import { handleRoute, readJsonBody } from "@/lib/http";

const loginInput = z.object({ token: z.string({ message: "is required" }).min(1, { message: "is required" }).max(512) });

export async function POST(request: Request) {
  const response = await handleRoute(async () => {
    // A login sets the cookie, so it is held to the same-origin rules of cookie mutations.
    assertSameOriginRequest(request);
    assertJsonContentType(request);
    const clientKey = loginClientKey(request);
    await assertLoginAllowed(clientKey);
    const { token } = loginInput.parse(await readJsonBody(request, 4096));
    if (!isValidApiToken(token)) {
      await recordLoginFailure(clientKey);
      throw new AppError("unauthorized", "That token is not valid.");
    }
    await clearLoginFailures(clientKey);
    const { secret } = await createSession();
    return Response.json({ ok: true }, { headers: { "set-cookie": buildSessionCookie(secret, { isSecure: isSecureCookieNeeded() }) } });
  });
  if (response.status === 429) {
    const body = (await response.clone().json()) as { error?: { details?: { retryAfterSec?: number } } };
    response.headers.set("retry-after", String(body.error?.details?.retryAfterSec ?? 60));
  }
  return response;
}
