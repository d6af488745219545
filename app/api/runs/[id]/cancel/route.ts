import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";
import { cancelRun } from "@/lib/runs/run-lifecycle";
import { inngest } from "@/lib/inngest";
import { runCancelled, runFinished } from "@/lib/events";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const { id } = await params;
    const run = await cancelRun({
      runId: id,
      notifyEngine: async (runId) =>
        void (await inngest.send([
          runCancelled.create({ runId, reason: "cancelled by user" }),
          runFinished.create({ runId, status: "cancelled" }),
        ])),
    });
    return Response.json(run);
  });
}
