import { db } from "../db";
import type { RunEventDto } from "./run-dto";
import { runProgressSelect, toRunProgressDto } from "./to-run-dto";

/** Events of a run with seq > afterSeq, oldest first, each carrying the run's current progress. */
export async function listRunEventsAfter(options: { runId: string; afterSeq: number; limit?: number }): Promise<RunEventDto[]> {
  const [events, run] = await Promise.all([
    db.runEvent.findMany({
      where: { runId: options.runId, seq: { gt: options.afterSeq } },
      orderBy: { seq: "asc" },
      take: options.limit ?? 500,
    }),
    db.run.findUnique({ where: { id: options.runId }, select: runProgressSelect }),
  ]);
  if (!run) return [];
  const progress = toRunProgressDto(run);
  return events.map((event) => ({
    id: event.seq,
    runId: event.runId,
    type: event.type,
    payload: event.payload,
    costDeltaUsd: event.costDeltaUsd.toNumber(),
    createdAt: event.createdAt.toISOString(),
    run: progress,
  }));
}
