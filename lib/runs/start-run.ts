import { db } from "../db";
import { recordRunEvent } from "./record-run-event";

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
