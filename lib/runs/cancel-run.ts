import { db } from "../db";
import { AppError } from "../errors";
import { activeRunStatuses, isActiveRunStatus } from "./run-status";
import { recordRunEvent } from "./record-run-event";
import { stopRunWork } from "./stop-run-work";

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
