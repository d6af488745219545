import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute, readJsonBody } from "@/lib/http";
import { createRun } from "@/lib/runs/create-run";
import { createRunInput } from "@/lib/runs/create-run-input";
import { listRuns, listRunsQuery } from "@/lib/runs/read-runs";
import { inngest, inngestEventApiUrl } from "@/lib/inngest";
import { runRequested } from "@/lib/events";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const params = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await listRuns(listRunsQuery.parse(params)));
  });
}

export async function POST(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const input = createRunInput.parse(await readJsonBody(request));
    const run = await createRun({
      input,
      engineUrl: inngestEventApiUrl(),
      // The event id makes a retried send start the run once.
      requestRun: async (runId) =>
        void (await inngest.send(runRequested.create({ runId, repository: input.repo }, { id: `run-requested-${runId}` }))),
    });
    return Response.json(run, { status: 201 });
  });
}
