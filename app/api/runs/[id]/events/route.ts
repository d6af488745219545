import { z } from "zod";
import { authenticateRequest } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { handleRoute } from "@/lib/http";
import { getRunStatusOrThrow } from "@/lib/runs/read-runs";
import { streamRunEvents } from "@/lib/runs/run-events";

export const dynamic = "force-dynamic";

/** Event ids are the run's int4 `seq`; anything else is a client error, not a database one. */
const afterSeq = z
  .string()
  .trim()
  .regex(/^\d{1,10}$/, { message: "must be a whole number of at least 0" })
  .transform(Number)
  .pipe(z.number().max(2_147_483_647, { message: "must be at most 2147483647" }));

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const { id } = await params;
    await getRunStatusOrThrow(id);
    const fromHeader = request.headers.get("last-event-id")?.trim() || null;
    const fromQuery = new URL(request.url).searchParams.get("after");
    const field = fromHeader !== null ? "Last-Event-ID" : "after";
    const parsed = afterSeq.safeParse(fromHeader ?? fromQuery ?? "0");
    if (!parsed.success) {
      throw new AppError("bad_request", `Invalid ${field}: ${parsed.error.issues[0].message}`, { details: { fields: [{ field, message: parsed.error.issues[0].message }] } });
    }
    return new Response(streamRunEvents({ runId: id, afterSeq: parsed.data, signal: request.signal }), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  });
}
