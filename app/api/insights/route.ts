import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";
import { getInsights, insightsQuery } from "@/lib/insights/get-insights";

export const dynamic = "force-dynamic";

/** GET /api/insights?from=YYYY-MM-DD&to=YYYY-MM-DD: spend, outcomes and cache reads over the range. */
export async function GET(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const params = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await getInsights(insightsQuery.parse(params)));
  });
}
