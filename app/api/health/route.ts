import { authenticateRequest } from "@/lib/auth/session";
import { checkHealth } from "@/lib/check-health";
import { inngestEngineTarget } from "@/lib/inngest";

export const dynamic = "force-dynamic";

// Unauthenticated: booleans only. With the API token or a session: URLs and the reason too.
export async function GET(request: Request) {
  const isDetailed = await authenticateRequest(request).then(() => true, () => false);
  const health = await checkHealth({ engine: inngestEngineTarget(), isDetailed });
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
