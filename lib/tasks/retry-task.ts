// Retrying a failed task: the user asks for one more go at a task that failed (or ran out of
// budget) in a run that has ended. The run goes back to running on what is left of its own
// budget, the task back to pending, and the workflow engine is told (retry-task works it on
// its existing branch and PR, then concludes the run again).
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { formatUsd } from "@/lib/money";
import { recordRunEvent } from "@/lib/runs/run-events";
import { isRetryableRunStatus, isRetryableTaskStatus, retryableRunStatuses, retryableTaskStatuses } from "@/lib/runs/run-status";
import { setTaskStatus } from "./task-status";

export const taskRetryParams = z.object({
  id: z.string().min(1).max(64),
  key: z.string().min(1).max(100),
});

export type TaskRetry = { runId: string; taskId: string; taskKey: string; status: "pending"; runStatus: "running"; remainingUsd: string };

/**
 * Moves the task back to pending and its run back to running, in one transaction that also
 * records `task.retry_requested`. `notifyEngine` sends the event that starts retry-task; it
 * runs inside the transaction, so an engine that cannot be reached leaves nothing changed
 * (503). run-task's beginTask waits on the task row's lock, so it sees the committed state.
 */
export async function requestTaskRetry(options: { runId: string; taskKey: string; notifyEngine: (retry: { runId: string; taskId: string }) => Promise<void> }): Promise<TaskRetry> {
  return db.$transaction(async (tx) => {
    // Lock the run row first: two retries (or a retry and a cancel) of one run go one at a time.
    const [run] = await tx.$queryRaw<{ id: string; status: RunStatus; budgetUsd: Prisma.Decimal; spentUsd: Prisma.Decimal; reservedUsd: Prisma.Decimal }[]>`
      SELECT id, status, "budgetUsd", "spentUsd", "reservedUsd" FROM "Run" WHERE id = ${options.runId} FOR UPDATE`;
    if (!run) throw new AppError("not_found", `Run ${options.runId} not found`);
    const task = await tx.task.findUnique({ where: { runId_key: { runId: run.id, key: options.taskKey } }, select: { id: true, key: true, status: true, error: true } });
    if (!task) throw new AppError("not_found", `Task ${options.taskKey} not found in run ${run.id}`);
    if (!isRetryableTaskStatus(task.status)) {
      throw new AppError("conflict", `Task ${task.key} is ${task.status}; only ${retryableTaskStatuses.join(" or ")} tasks can be retried`);
    }
    if (!isRetryableRunStatus(run.status)) {
      throw new AppError("conflict", `Run is ${run.status}; a task can be retried once its run has ended ${retryableRunStatuses.join(" or ")}`);
    }
    const remaining = new Prisma.Decimal(run.budgetUsd).minus(run.spentUsd).minus(run.reservedUsd);
    if (remaining.lte(0)) {
      throw new AppError(
        "conflict",
        `Run has no budget left (${formatUsd(Number(run.spentUsd))} of ${formatUsd(Number(run.budgetUsd))} spent); start a new run with a budget to retry the work`,
      );
    }

    await tx.run.update({ where: { id: run.id }, data: { status: "running", finishedAt: null, error: null, summary: null } });
    await tx.task.update({ where: { id: task.id }, data: { status: "pending", error: null, finishedAt: null } });
    await recordRunEvent(
      {
        runId: run.id,
        type: "task.retry_requested",
        payload: {
          taskKey: task.key, previousStatus: task.status, previousRunStatus: run.status, previousError: task.error, remainingUsd: remaining.toFixed(6),
          message: `Retry requested for ${task.key} (was ${task.status.replace("_", " ")}); ${formatUsd(remaining.toNumber())} of the run's budget left`,
        },
      },
      tx,
    );
    try {
      await options.notifyEngine({ runId: run.id, taskId: task.id });
    } catch (cause) {
      throw new AppError("unavailable", "The workflow engine could not be reached, so the task was not retried; start the Inngest server and try again.", {
        cause,
        details: { runId: run.id, taskKey: task.key },
      });
    }
    return { runId: run.id, taskId: task.id, taskKey: task.key, status: "pending", runStatus: "running", remainingUsd: remaining.toFixed(6) };
    // The engine send is inside the transaction; give it time to answer (or fail) before Prisma's 5 s default ends it.
  }, { timeout: 30_000 });
}

/**
 * After a retried task succeeded: the run's skipped tasks (run-spec skips later waves once a
 * task fails) whose dependencies have all succeeded now, moved back to pending so retry-task
 * works them too. Empty when none is ready: each call yields the next wave.
 */
export async function requeueReadySkippedTasks(options: { runId: string }): Promise<{ key: string; taskId: string }[]> {
  const tasks = await db.task.findMany({ where: { runId: options.runId }, select: { id: true, key: true, status: true, dependsOn: true }, orderBy: { createdAt: "asc" } });
  const succeeded = new Set(tasks.filter((task) => task.status === "succeeded").map((task) => task.key));
  const ready = tasks.filter((task) => task.status === "skipped" && task.dependsOn.every((key) => succeeded.has(key)));
  for (const task of ready) {
    await setTaskStatus({ taskId: task.id, status: "pending", reason: "Its dependencies succeeded after a retry." });
  }
  return ready.map((task) => ({ key: task.key, taskId: task.id }));
}
