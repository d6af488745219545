// A run's lifecycle in one place: queued -> planning (startRun), then to a final status from
// its tasks (concludeRun -> finishRun) or by the user (cancelRun); stopRunWork leaves nothing
// of an early-ended run running.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { taskLeaseHolder } from "@/lib/git/branches";
import { releaseRunReservations } from "@/lib/llm/budget-guard";
import { formatUsd } from "@/lib/money";
import { recordRunEvent } from "./run-events";
import { activeRunStatuses, isActiveRunStatus, type FinalRunStatus } from "./run-status";

/**
 * Moves a queued run to planning. Returns false when the run is no longer queued (cancelled,
 * already started by an earlier attempt, ...), so a re-delivered event does nothing.
 */
export async function startRun(runId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.run.updateMany({
      where: { id: runId, status: "queued" },
      data: { status: "planning", startedAt: new Date() },
    });
    if (count === 0) return false;
    await recordRunEvent({ runId, type: "run.started", payload: {} }, tx);
    return true;
  });
}

/**
 * Sets a run's final status with a readable reason, once: a run that already ended (e.g.
 * cancelled by the user) keeps its status. Returns the status the run ends with.
 */
export async function finishRun(options: { runId: string; status: FinalRunStatus; reason?: string; summary?: string }): Promise<RunStatus | null> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.run.updateMany({
      where: { id: options.runId, status: { in: [...activeRunStatuses] } },
      data: { status: options.status, error: options.reason ?? null, summary: options.summary, finishedAt: new Date() },
    });
    if (count > 0) {
      // Whatever the outcome, a reservation outliving its run would hold budget forever.
      await releaseRunReservations(tx, options.runId);
      if (options.status !== "succeeded") {
        await stopRunWork(tx, { runId: options.runId, reason: options.reason ?? `The run ended ${options.status}.`, taskStatus: options.status === "budget_exhausted" ? "budget_exhausted" : options.status });
      }
      await recordRunEvent(
        { runId: options.runId, type: `run.${options.status}`, payload: { reason: options.reason ?? null, summary: options.summary ?? null } },
        tx,
      );
    }
    const run = await tx.run.findUnique({ where: { id: options.runId }, select: { status: true } });
    return run?.status ?? null;
  });
}

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
  const summary = `${succeeded.length}/${run.tasks.length} tasks succeeded, ${prs} pull request(s), ${formatUsd(run.spentUsd.toNumber())} of ${formatUsd(run.budgetUsd.toNumber())} spent.`;
  const reason = status === "succeeded" ? undefined : run.tasks.filter((task) => task.status !== "succeeded").map((task) => `${task.key}: ${task.error ?? task.status}`).join("; ");
  await finishRun({ runId, status, summary, reason });
  return { status, summary };
}

/**
 * Marks an active run cancelled and records it. `notifyEngine` tells the workflow engine,
 * whose functions cancel on that event; a finished run is left as it is (409).
 */
export async function cancelRun(options: { runId: string; notifyEngine: (runId: string) => Promise<void> }) {
  const run = await db.$transaction(async (tx) => {
    const current = await tx.run.findUnique({ where: { id: options.runId }, select: { status: true } });
    if (!current) throw new AppError("not_found", `Run ${options.runId} not found`);
    if (!isActiveRunStatus(current.status)) {
      throw new AppError("conflict", `Run is already ${current.status}; only ${activeRunStatuses.join(", ")} runs can be cancelled`);
    }
    const updated = await tx.run.update({
      where: { id: options.runId },
      data: { status: "cancelled", finishedAt: new Date() },
      select: { id: true, status: true },
    });
    await stopRunWork(tx, { runId: options.runId, reason: "Cancelled by the user.", taskStatus: "cancelled" });
    await recordRunEvent({ runId: options.runId, type: "run.cancelled", payload: { by: "user" } }, tx);
    return updated;
  });
  try {
    await options.notifyEngine(options.runId);
  } catch (cause) {
    throw new AppError(
      "unavailable",
      "The run is marked cancelled, but the workflow engine could not be told; its workers stop at their next step.",
      { cause, details: { runId: options.runId } },
    );
  }
  return run;
}


/**
 * When a run ends early (failed, cancelled), nothing of it may stay "running": its open
 * sessions are stopped, reservations of calls in flight are given back, and its unfinished
 * tasks get the run's outcome, with the reason.
 */
async function stopRunWork(tx: Prisma.TransactionClient, options: { runId: string; reason: string; taskStatus: "failed" | "cancelled" | "budget_exhausted" }) {
  const now = new Date();
  await tx.agentSession.updateMany({
    // Follow-up sessions answer humans on their own budget; a run ending does not stop them.
    where: { runId: options.runId, status: "running", followUpId: null },
    data: { status: "stopped", stopReason: options.taskStatus === "cancelled" ? "cancelled" : "error", error: options.reason, finishedAt: now },
  });
  await releaseRunReservations(tx, options.runId);
  // run-task holds its branch's lease until it ends; a cancelled run-task runs no more code.
  const tasks = await tx.task.findMany({ where: { runId: options.runId }, select: { id: true } });
  await tx.branchLease.deleteMany({ where: { holder: { in: tasks.map((task) => taskLeaseHolder(task.id)) } } });
  await tx.task.updateMany({
    where: { runId: options.runId, status: { in: ["pending", "running"] } },
    data: { status: options.taskStatus, error: options.reason, finishedAt: now },
  });
}
