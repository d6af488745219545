// A cancelled run's workflows stop at their next step boundary, so their own endings (which
// delete losing attempt branches and remove clones) never run. This does that work for them,
// once the steps that were in flight have had time to end. The tasks' own branches and draft
// PRs stay: they hold the work done so far.
import { listRunTaskIds } from "@/lib/tasks/task-status";
import { deleteLeftoverAttemptBranches } from "@/lib/tasks/coder-attempts";
import { cleanupTaskWorkspaces } from "@/lib/tasks/task-branch";
import { inngest } from "@/lib/inngest";
import { runCancelled } from "@/lib/events";

/** Longer than a step runs (a chunk of agent turns, a test run), so nothing writes after the cleanup. */
const stepsSettleAfter = "30m";

export const cleanUpCancelledRun = inngest.createFunction(
  { id: "clean-up-cancelled-run", retries: 5, triggers: [runCancelled], idempotency: "event.data.runId" },
  async ({ event, step }) => {
    const { runId } = event.data;
    await step.sleep("let-running-steps-end", stepsSettleAfter);
    const taskIds = await step.run("list-tasks", () => listRunTaskIds(runId));
    const deleted: string[] = [];
    for (const taskId of taskIds) {
      const branches = await step.run(`delete-attempt-branches-${taskId}`, () => deleteLeftoverAttemptBranches({ taskId }));
      deleted.push(...branches.deleted);
    }
    // One sweep removes every clone no running task or queued follow-up needs: all of this run's.
    const clones = await step.run("remove-clones", () => cleanupTaskWorkspaces());
    return { runId, deletedBranches: deleted, removedClones: clones.removed.length };
  },
);
