import type { Prisma, RunEvent } from "../generated/prisma/client";
import { db } from "../db";
import { AppError } from "../errors";
import { runEventPayloadSchemas, type RunEventPayload, type RunEventType } from "./run-event-types";

type Tx = Prisma.TransactionClient;

export type RecordRunEventInput<T extends RunEventType = RunEventType> = {
  runId: string;
  type: T;
  payload: RunEventPayload<T>;
  costDeltaUsd?: number | string;
};

/**
 * Appends a RunEvent with the run's next `seq`. Pass the transaction of the state change it
 * describes so both commit together. Bumping Run.lastEventSeq locks the run row until commit,
 * so a run's events commit in seq order and a stream reading "after seq N" never skips one.
 * A database trigger announces each event (pg_notify) when it commits.
 */
export async function recordRunEvent<T extends RunEventType>(input: RecordRunEventInput<T>, tx?: Tx): Promise<RunEvent> {
  if (!tx) return db.$transaction((inner) => recordRunEvent(input, inner));
  const payload = runEventPayloadSchemas[input.type].safeParse(input.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new AppError("internal", `Run event ${input.type} has an invalid payload at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, { isRetryable: false });
  }
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
      payload: payload.data as Prisma.InputJsonValue,
      costDeltaUsd: input.costDeltaUsd ?? 0,
    },
  });
}
