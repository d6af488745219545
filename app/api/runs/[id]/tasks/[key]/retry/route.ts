import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";
import { requestTaskRetry, taskRetryParams } from "@/lib/tasks/retry-task";
import { inngest } from "@/lib/inngest";
import { taskRetryRequested } from "@/lib/events";

export async function POST(request: Request, { params }: { params: Promise<{ id: string; key: string }> }) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const { id, key } = taskRetryParams.parse(await params);
    const retry = await requestTaskRetry({
      runId: id,
      taskKey: key,
      notifyEngine: async (data) => void (await inngest.send(taskRetryRequested.create(data))),
    });
    return Response.json(retry, { status: 202 });
  });
}
