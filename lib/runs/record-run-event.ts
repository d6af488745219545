import type { Prisma, RunEvent } from "../generated/prisma/client";
import { db } from "../db";

type Tx = Prisma.TransactionClient;

export type RecordRunEventInput = {
  runId: string;
  type: string;
  payload?: Prisma.InputJsonValue;
  costDeltaUsd?: number | string;
};

/**
 * Appends a RunEvent with the run's next `seq`. Pass the transaction of the state change it
 * describes so both commit together. Bumping Run.lastEventSeq locks the run row until commit,
 * so a run's events commit in seq order and a stream reading "after seq N" never skips one.
 * A database trigger announces each event (pg_notify) when it commits.
 */
export async function recordRunEvent(input: RecordRunEventInput, tx?: Tx): Promise<RunEvent> {
  if (!tx) return db.$transaction((inner) => recordRunEvent(input, inner));
  const { lastEventSeq } = await tx.run.update({
    where: { id: input.runId },
    data: { lastEventSeq: { increment: 1 } },
    select: { lastEventSeq: true },
  });
  return tx.runEvent.create({
    data: {
      runId: input.runId,
      seq: lastEventSeq,
      type: input.type,
      payload: input.payload ?? {},
      costDeltaUsd: input.costDeltaUsd ?? 0,
    },
  });
}
