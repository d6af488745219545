import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** 200 while the browser's session is active. The login page asks, because a SameSite=Strict
 * cookie is not sent on a navigation from another site (a link in Slack or on GitHub). */
export async function GET(request: Request) {
  return handleRoute(async () => Response.json({ ok: true, method: await authenticateRequest(request) }));
}
