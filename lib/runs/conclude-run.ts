import { db } from "../db";
import { finishRun } from "./finish-run";
import type { FinalRunStatus } from "./run-status";

/**
 * Ends a run from its tasks' outcomes: succeeded when every task did, budget_exhausted when
 * the budget stopped any, failed otherwise. The summary leads with outcome and cost.
 */
export async function concludeRun(runId: string): Promise<{ status: FinalRunStatus; summary: string }> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    select: { spentUsd: true, budgetUsd: true, tasks: { select: { key: true, status: true, error: true, pullRequest: { select: { url: true } } } } },
  });
  const succeeded = run.tasks.filter((task) => task.status === "succeeded");
  const status: FinalRunStatus =
    run.tasks.length > 0 && succeeded.length === run.tasks.length
      ? "succeeded"
      : run.tasks.some((task) => task.status === "budget_exhausted")
        ? "budget_exhausted"
        : "failed";
  const prs = run.tasks.filter((task) => task.pullRequest).length;
  const summary = `${succeeded.length}/${run.tasks.length} tasks succeeded, ${prs} pull request(s), $${run.spentUsd.toFixed(4)} of $${run.budgetUsd.toFixed(2)} spent.`;
  const reason = status === "succeeded" ? undefined : run.tasks.filter((task) => task.status !== "succeeded").map((task) => `${task.key}: ${task.error ?? task.status}`).join("; ");
  await finishRun({ runId, status, summary, reason });
  return { status, summary };
}
