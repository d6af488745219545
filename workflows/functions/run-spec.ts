// Runs one spec end to end: plan it into tasks, work the tasks in dependency waves (each wave
// in parallel, one run-task per task), then set the final status and announce it.
import { submitPlanInput } from "@/lib/agents/roles";
import { concludeRun, finishRun, startRun } from "@/lib/runs/run-lifecycle";
import { ensureRepositoryProfile } from "@/lib/repositories/repository-profile";
import { loadRunContextOrThrow, startPlanner } from "@/lib/tasks/role-sessions";
import { persistPlan } from "@/lib/tasks/plan";
import { setTaskStatus } from "@/lib/tasks/task-status";
import { inngest } from "@/lib/inngest";
import { runCancelled, runFinished, runRequested } from "@/lib/events";
import { failRunAfterWorkflowError, runSessionSteps } from "@/workflows/task-steps";
import { runTask, taskOutcomeSchema, type TaskOutcome } from "./run-task";

export const runSpec = inngest.createFunction(
  {
    id: "run-spec",
    retries: 3,
    triggers: [runRequested],
    idempotency: "event.data.runId",
    concurrency: { key: "event.data.repository", limit: 2 },
    cancelOn: [{ event: runCancelled, if: "async.data.runId == event.data.runId" }],
    onFailure: async ({ event, error, step }) => {
      await failRunAfterWorkflowError(step, { runId: runRequested.schema.parse(event.data.event.data).runId, workflow: "run-spec", error });
    },
  },
  async ({ event, step }) => {
    const { runId } = event.data;
    const isStarted = await step.run("start-run", () => startRun(runId));
    if (!isStarted) return { runId, skipped: "run is not queued" };

    // A repository's first run (or one nobody configured) learns how to set up and test it.
    await step.run("ensure-repository-profile", async () => {
      const { repository } = await loadRunContextOrThrow({ runId });
      const profile = await ensureRepositoryProfile({ repositoryId: repository.id });
      return { testCommand: profile.testCommand, setupCommand: profile.setupCommand, hasCi: profile.hasCi };
    });
    const plannerId = await step.run("start-planner", () => startPlanner(runId));
    const planned = await runSessionSteps(step, { sessionId: plannerId, stepPrefix: "plan" });
    if (planned.stopReason !== "submitted") {
      const status = planned.stopReason === "budget_exhausted" ? "budget_exhausted" : "failed";
      const reason = `Planning stopped without a plan: ${planned.stopReason}${planned.error ? ` (${planned.error})` : ""}.`;
      const final = await step.run("finish-unplanned-run", () => finishRun({ runId, status, reason }));
      if (final === status) await step.sendEvent("send-run-finished", runFinished.create({ runId, status }));
      return { runId, status };
    }
    const { waves } = await step.run("persist-plan", () => persistPlan({ runId, plan: submitPlanInput.parse(planned.result) }));

    let blockedReason: string | null = null;
    for (const wave of waves) {
      if (blockedReason) {
        for (const task of wave) await step.run(`skip-task-${task.key}`, () => setTaskStatus({ taskId: task.taskId, status: "skipped", reason: blockedReason! }));
        continue;
      }
      const outcomes = await Promise.all(
        wave.map((task) =>
          step
            .invoke(`run-task-${task.key}`, { function: runTask, data: { runId, taskId: task.taskId } })
            .then((outcome) => taskOutcomeSchema.parse(outcome))
            .catch((error: Error): TaskOutcome => ({ taskId: task.taskId, status: "failed", reason: error.message })),
        ),
      );
      const unfinished = outcomes.filter((outcome) => outcome.status !== "succeeded");
      // Later waves depend on earlier ones; working them on top of a failed task wastes budget.
      if (unfinished.length) blockedReason = `An earlier task did not succeed (${unfinished.map((o) => o.status).join(", ")}).`;
    }

    const { status } = await step.run("conclude-run", () => concludeRun(runId));
    await step.sendEvent("send-run-finished", runFinished.create({ runId, status }));
    return { runId, status };
  },
);
