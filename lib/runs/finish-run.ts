import { db } from "../db";
import type { RunStatus } from "../generated/prisma/enums";
import { activeRunStatuses, type FinalRunStatus } from "./run-status";
import { releaseRunReservations } from "../llm/budget-guard";
import { recordRunEvent } from "./record-run-event";
import { stopRunWork } from "./stop-run-work";

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
