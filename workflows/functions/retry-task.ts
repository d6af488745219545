// Works a failed task again, on the user's request (lib/tasks/retry-task.ts moved it back to
// pending and its run back to running): run-task picks up the task's existing branch and pull
// request (beginTask and openTaskPullRequest are idempotent), within what is left of the run's
// budget. Then the run is concluded again from all its tasks and announced, as run-spec does.
import { concludeRun, finishRun } from "../../lib/runs/run-lifecycle";
import { inngest } from "@/lib/inngest";
import { runCancelled, runFinished, taskRetryRequested } from "@/lib/events";
import { runTask, type TaskOutcome } from "./run-task";

export const retryTask = inngest.createFunction(
  {
    id: "retry-task",
    retries: 3,
    triggers: [taskRetryRequested],
    cancelOn: [{ event: runCancelled, if: "async.data.runId == event.data.runId" }],
    onFailure: async ({ event, error, step }) => {
      const { runId } = taskRetryRequested.schema.parse(event.data.event.data);
      // The run went back to running for this retry; it must not stay running without a worker.
      const status = await step.run("mark-run-failed", () =>
        finishRun({ runId, status: "failed", reason: `The retry-task workflow failed: ${error.message}` }),
      );
      if (status === "failed") await step.sendEvent("send-run-finished", runFinished.create({ runId, status: "failed" }));
    },
  },
  async ({ event, step }) => {
    const { runId, taskId } = event.data;
    const outcome = await step
      .invoke("run-task", { function: runTask, data: { runId, taskId } })
      .then((result) => result as TaskOutcome)
      .catch((error: Error): TaskOutcome => ({ taskId, status: "failed", reason: error.message }));
    const { status } = await step.run("conclude-run", () => concludeRun(runId));
    await step.sendEvent("send-run-finished", runFinished.create({ runId, status }));
    return { runId, taskId, taskStatus: outcome.status, status };
  },
);
