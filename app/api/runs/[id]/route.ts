import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";
import { getRunDetailOrThrow } from "@/lib/runs/read-runs";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const { id } = await params;
    return Response.json(await getRunDetailOrThrow(id));
  });
}
