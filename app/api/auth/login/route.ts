import { z } from "zod";
import { createSessionCookieValue, isValidApiToken, sessionCookieName, sessionMaxAgeSec } from "../../../../lib/auth/session";
import { AppError } from "../../../../lib/errors";
import { handleRoute, readJsonBody } from "../../../../lib/http";
import { publicUrl } from "../../../../lib/env";

const loginInput = z.object({ token: z.string({ message: "is required" }).min(1, { message: "is required" }).max(512) });

export async function POST(request: Request) {
  return handleRoute(async () => {
    const { token } = loginInput.parse(await readJsonBody(request, 4096));
    if (!isValidApiToken(token)) throw new AppError("unauthorized", "That token is not valid.");
    const isSecure = publicUrl().startsWith("https://");
    const cookie = [
      `${sessionCookieName}=${createSessionCookieValue()}`,
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      `Max-Age=${sessionMaxAgeSec}`,
      ...(isSecure ? ["Secure"] : []),
    ].join("; ");
    return Response.json({ ok: true }, { headers: { "set-cookie": cookie } });
  });
}
