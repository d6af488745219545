import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";

type Tx = Prisma.TransactionClient;

export type RecordRunEventInput = {
  runId: string;
  type: string;
  payload?: Prisma.InputJsonValue;
  costDeltaUsd?: number | string;
};

/**
 * Appends a RunEvent. Pass the transaction of the state change it describes, so the change
 * and its event commit together. A database trigger announces it (pg_notify) on commit.
 */
export async function recordRunEvent(input: RecordRunEventInput, tx: Tx = db) {
  return tx.runEvent.create({
    data: {
      runId: input.runId,
      type: input.type,
      payload: input.payload ?? {},
      costDeltaUsd: input.costDeltaUsd ?? 0,
    },
  });
}
