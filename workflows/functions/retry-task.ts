// Works a failed task again, on the user's request (lib/tasks/retry-task.ts moved it back to
// pending and its run back to running): run-task picks up the task's existing branch and pull
// request (beginTask and openTaskPullRequest are idempotent), within what is left of the run's
// budget. Then the run is concluded again from all its tasks and announced, as run-spec does.
import { concludeRun } from "@/lib/runs/run-lifecycle";
import { requeueReadySkippedTasks } from "@/lib/tasks/retry-task";
import { inngest } from "@/lib/inngest";
import { runCancelled, runFinished, taskRetryRequested } from "@/lib/events";
import { failRunAfterWorkflowError } from "@/workflows/task-steps";
import { runTask, type TaskOutcome } from "./run-task";

export const retryTask = inngest.createFunction(
  {
    id: "retry-task",
    retries: 3,
    triggers: [taskRetryRequested],
    cancelOn: [{ event: runCancelled, if: "async.data.runId == event.data.runId" }],
    onFailure: async ({ event, error, step }) => {
      // The run went back to running for this retry; it must not stay running without a worker.
      await failRunAfterWorkflowError(step, { runId: taskRetryRequested.schema.parse(event.data.event.data).runId, workflow: "retry-task", error });
    },
  },
  async ({ event, step }) => {
    const { runId, taskId } = event.data;
    const work = (name: string, id: string) =>
      step
        .invoke(name, { function: runTask, data: { runId, taskId: id } })
        .then((result) => result as TaskOutcome)
        .catch((error: Error): TaskOutcome => ({ taskId: id, status: "failed", reason: error.message }));
    const outcome = await work("run-task", taskId);

    // The tasks run-spec skipped because this one failed are worked now, wave by wave, as far
    // as their dependencies succeed (each round's tasks only depend on succeeded ones).
    if (outcome.status === "succeeded") {
      // Ends: each round moves its tasks out of skipped, and a round that does not succeed stops.
      for (let round = 1; ; round++) {
        const ready = await step.run(`requeue-skipped-${round}`, () => requeueReadySkippedTasks({ runId }));
        if (ready.length === 0) break;
        const outcomes = await Promise.all(ready.map((task) => work(`run-task-${task.key}`, task.taskId)));
        if (outcomes.some((result) => result.status !== "succeeded")) break;
      }
    }
    const { status } = await step.run("conclude-run", () => concludeRun(runId));
    await step.sendEvent("send-run-finished", runFinished.create({ runId, status }));
    return { runId, taskId, taskStatus: outcome.status, status };
  },
);
