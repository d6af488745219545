import { z } from "zod";
import { requireAuth } from "../../../../../lib/auth/session";
import { handleRoute } from "../../../../../lib/http";
import { getRunStatusOrThrow } from "../../../../../lib/runs/get-run-status-or-throw";
import { streamRunEvents } from "../../../../../lib/runs/stream-run-events";

export const dynamic = "force-dynamic";

const afterSeq = z.coerce.number().int().min(0).catch(0);

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    requireAuth(request);
    const { id } = await params;
    await getRunStatusOrThrow(id);
    const resumeFrom = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? 0;
    return new Response(streamRunEvents({ runId: id, afterSeq: afterSeq.parse(resumeFrom), signal: request.signal }), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  });
}
