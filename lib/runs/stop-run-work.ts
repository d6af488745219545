import type { Prisma } from "../generated/prisma/client";
import { releaseRunReservations } from "../llm/budget-guard";

type Tx = Prisma.TransactionClient;

/**
 * When a run ends early (failed, cancelled), nothing of it may stay "running": its open
 * sessions are stopped, reservations of calls in flight are given back, and its unfinished
 * tasks get the run's outcome, with the reason.
 */
export async function stopRunWork(tx: Tx, options: { runId: string; reason: string; taskStatus: "failed" | "cancelled" | "budget_exhausted" }) {
  const now = new Date();
  await tx.agentSession.updateMany({
    // Follow-up sessions answer humans on their own budget; a run ending does not stop them.
    where: { runId: options.runId, status: "running", followUpId: null },
    data: { status: "stopped", stopReason: options.taskStatus === "cancelled" ? "cancelled" : "error", error: options.reason, finishedAt: now },
  });
  await releaseRunReservations(tx, options.runId);
  // run-task holds its branch's lease until it ends; a cancelled run-task runs no more code.
  const tasks = await tx.task.findMany({ where: { runId: options.runId }, select: { id: true } });
  await tx.branchLease.deleteMany({ where: { holder: { in: tasks.map((task) => `task:${task.id}`) } } });
  await tx.task.updateMany({
    where: { runId: options.runId, status: { in: ["pending", "running"] } },
    data: { status: options.taskStatus, error: options.reason, finishedAt: now },
  });
}
