// Reserve-then-settle accounting against Run.budgetUsd. The reservation is one conditional
// UPDATE, so parallel sessions on one run can never jointly reserve past the budget. It also
// inserts the call's LlmCall row as "in flight" (no finish reason, no error yet), so a
// reservation left by a worker that died mid-call can be found and released.
import { randomUUID } from "node:crypto";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { recordRunEvent } from "../runs/record-run-event";
import { AppError } from "../errors";
import type { CallTokens } from "./compute-cost";

export type ReserveBudgetInput = { runId: string; amountUsd: string; sessionId?: string | null; provider: string; model: string };

/**
 * The in-flight LlmCall's id, or null when the reservation does not fit the remaining budget.
 * A run that has ended (cancelled, failed, finished) takes no more calls: that is an error.
 * A session answering a human review (AgentSession.followUpId) reserves against its FollowUp's
 * own budget instead, whatever the run's status: the run's budget is never re-opened.
 */
export async function reserveBudget(input: ReserveBudgetInput): Promise<string | null> {
  const callId = randomUUID();
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH follow_up AS (
      SELECT "followUpId" AS id FROM "AgentSession" WHERE id = ${input.sessionId ?? null} AND "followUpId" IS NOT NULL
    ), reserved AS (
      UPDATE "Run" SET "reservedUsd" = "reservedUsd" + ${input.amountUsd}::numeric, "updatedAt" = now()
      WHERE id = ${input.runId} AND status IN ('queued', 'planning', 'running')
        AND "spentUsd" + "reservedUsd" + ${input.amountUsd}::numeric <= "budgetUsd"
        AND NOT EXISTS (SELECT 1 FROM follow_up)
      RETURNING id
    ), follow_up_reserved AS (
      UPDATE "FollowUp" SET "reservedUsd" = "reservedUsd" + ${input.amountUsd}::numeric, "updatedAt" = now()
      WHERE id = (SELECT id FROM follow_up) AND "runId" = ${input.runId} AND status = 'running'
        AND "spentUsd" + "reservedUsd" + ${input.amountUsd}::numeric <= "budgetUsd"
      RETURNING id
    )
    INSERT INTO "LlmCall" (id, "runId", "sessionId", provider, model, "reservedUsd", "followUpId")
    SELECT ${callId}, reserved.id, ${input.sessionId ?? null}, ${input.provider}, ${input.model}, ${input.amountUsd}::numeric, NULL FROM reserved
    UNION ALL
    SELECT ${callId}, ${input.runId}, ${input.sessionId ?? null}, ${input.provider}, ${input.model}, ${input.amountUsd}::numeric, follow_up_reserved.id FROM follow_up_reserved
    RETURNING id`;
  if (rows.length === 1) return callId;
  const session = input.sessionId ? await db.agentSession.findUnique({ where: { id: input.sessionId }, select: { followUp: { select: { status: true } } } }) : null;
  if (session?.followUp) {
    if (session.followUp.status !== "running") throw new AppError("conflict", `The follow-up is ${session.followUp.status}, so it makes no more model calls.`);
    return null;
  }
  const run = await db.run.findUnique({ where: { id: input.runId }, select: { status: true } });
  if (!run) throw new AppError("not_found", `Run ${input.runId} not found`);
  if (!["queued", "planning", "running"].includes(run.status)) {
    throw new AppError("conflict", `The run is ${run.status}, so it makes no more model calls.`);
  }
  return null;
}

export type SettleCallInput = {
  callId: string;
  runId: string;
  sessionId?: string;
  taskId?: string | null;
  provider: string;
  model: string;
  reservedUsd: string;
  costUsd: string;
  tokens: CallTokens;
  latencyMs: number;
  finishReason?: string;
  error?: string;
};

/**
 * Replaces a reservation with the actual cost, in one transaction: Run, AgentSession and
 * Task totals, the LlmCall row and its "llm.call" RunEvent. A failed call settles at 0.
 * A follow-up's call settles against its FollowUp, and its cost goes to Run.followUpSpentUsd,
 * never to Run.spentUsd (which only the run's own budget bounds).
 */
export async function settleCall(input: SettleCallInput): Promise<void> {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = input.tokens;
  await db.$transaction(async (tx: Prisma.TransactionClient) => {
    // One statement for the totals and the call row: this runs after every model call, and
    // each extra round trip inside the transaction holds the Run row's lock longer.
    await tx.$executeRaw`
      WITH in_flight AS (
        -- Locked, so a concurrent release (the run ended) and this settle never both give the
        -- reservation back; a released call still adds its actual cost.
        SELECT id FROM "LlmCall" WHERE id = ${input.callId} AND "finishReason" IS NULL AND error IS NULL FOR UPDATE
      ), call_follow_up AS (
        SELECT "followUpId" AS id FROM "LlmCall" WHERE id = ${input.callId} AND "followUpId" IS NOT NULL
      ), follow_up_totals AS (
        UPDATE "FollowUp" SET
          "reservedUsd" = "reservedUsd" - CASE WHEN EXISTS (SELECT 1 FROM in_flight) THEN ${input.reservedUsd}::numeric ELSE 0 END,
          "spentUsd" = "spentUsd" + ${input.costUsd}::numeric, "updatedAt" = now()
        WHERE id = (SELECT id FROM call_follow_up) RETURNING id
      ), run_totals AS (
        UPDATE "Run" SET
          "reservedUsd" = "reservedUsd" - CASE WHEN EXISTS (SELECT 1 FROM in_flight) AND NOT EXISTS (SELECT 1 FROM call_follow_up) THEN ${input.reservedUsd}::numeric ELSE 0 END,
          "spentUsd" = "spentUsd" + CASE WHEN EXISTS (SELECT 1 FROM call_follow_up) THEN 0 ELSE ${input.costUsd}::numeric END,
          "followUpSpentUsd" = "followUpSpentUsd" + CASE WHEN EXISTS (SELECT 1 FROM call_follow_up) THEN ${input.costUsd}::numeric ELSE 0 END,
          "inputTokens" = "inputTokens" + ${inputTokens}, "outputTokens" = "outputTokens" + ${outputTokens},
          "cacheReadTokens" = "cacheReadTokens" + ${cacheReadTokens}, "cacheWriteTokens" = "cacheWriteTokens" + ${cacheWriteTokens},
          "updatedAt" = now()
        WHERE id = ${input.runId} RETURNING id
      ), session_totals AS (
        UPDATE "AgentSession" SET
          "costUsd" = "costUsd" + ${input.costUsd}::numeric,
          "inputTokens" = "inputTokens" + ${inputTokens}, "outputTokens" = "outputTokens" + ${outputTokens},
          "cacheReadTokens" = "cacheReadTokens" + ${cacheReadTokens}, "cacheWriteTokens" = "cacheWriteTokens" + ${cacheWriteTokens},
          "updatedAt" = now()
        WHERE id = ${input.sessionId ?? null} RETURNING id
      ), task_totals AS (
        UPDATE "Task" SET "costUsd" = "costUsd" + ${input.costUsd}::numeric, "updatedAt" = now() WHERE id = ${input.taskId ?? null} RETURNING id
      )
      UPDATE "LlmCall" SET
        "inputTokens" = ${inputTokens}, "outputTokens" = ${outputTokens}, "cacheReadTokens" = ${cacheReadTokens}, "cacheWriteTokens" = ${cacheWriteTokens},
        "costUsd" = ${input.costUsd}::numeric, "latencyMs" = ${Math.round(input.latencyMs)},
        "finishReason" = ${input.finishReason ?? null}, error = COALESCE(${input.error ?? null}, error)
      WHERE id = ${input.callId} AND EXISTS (SELECT 1 FROM run_totals)`;
    await recordRunEvent(
      {
        runId: input.runId,
        type: input.error ? "llm.call.failed" : "llm.call",
        payload: {
          callId: input.callId,
          sessionId: input.sessionId ?? null,
          model: `${input.provider}:${input.model}`,
          ...input.tokens,
          costUsd: input.costUsd,
          latencyMs: Math.round(input.latencyMs),
          finishReason: input.finishReason ?? null,
          ...(input.error ? { error: input.error } : {}),
        },
        costDeltaUsd: input.costUsd,
      },
      tx,
    );
  });
}

/**
 * Releases reservations of calls a session started but never settled (its worker died
 * mid-call). Call only from the one worker that owns the session, before it calls again.
 */
export async function releaseAbandonedReservations(options: { sessionId: string }): Promise<number> {
  const rows = await db.$queryRaw<{ count: bigint }[]>`
    WITH abandoned AS (
      UPDATE "LlmCall" SET error = 'abandoned: the worker stopped during the call; its reservation was released'
      WHERE "sessionId" = ${options.sessionId} AND "finishReason" IS NULL AND error IS NULL
      RETURNING "runId", "followUpId", "reservedUsd"
    ), released AS (
      UPDATE "Run" SET "reservedUsd" = "Run"."reservedUsd" - totals.amount, "updatedAt" = now()
      FROM (SELECT "runId", SUM("reservedUsd") AS amount FROM abandoned WHERE "followUpId" IS NULL GROUP BY "runId") AS totals
      WHERE "Run".id = totals."runId"
      RETURNING "Run".id
    ), follow_up_released AS (
      -- A follow-up's calls reserved against the follow-up's budget, so that is where it goes back.
      UPDATE "FollowUp" SET "reservedUsd" = "FollowUp"."reservedUsd" - totals.amount, "updatedAt" = now()
      FROM (SELECT "followUpId", SUM("reservedUsd") AS amount FROM abandoned WHERE "followUpId" IS NOT NULL GROUP BY "followUpId") AS totals
      WHERE "FollowUp".id = totals."followUpId"
      RETURNING "FollowUp".id
    )
    SELECT (SELECT COUNT(*) FROM abandoned) AS count, (SELECT COUNT(*) FROM released) AS runs`;
  return Number(rows[0]?.count ?? 0);
}

/**
 * Gives back every reservation still held by a run's in-flight calls, when the run ends early
 * (its workers are being stopped). Runs inside the transaction that ends the run.
 */
export async function releaseRunReservations(tx: Prisma.TransactionClient, runId: string): Promise<void> {
  await tx.$executeRaw`
    WITH released AS (
      UPDATE "LlmCall" SET error = 'released: the run ended during the call'
      -- A follow-up's calls hold the follow-up's budget, not the run's; they outlive the run.
      WHERE "runId" = ${runId} AND "finishReason" IS NULL AND error IS NULL AND "followUpId" IS NULL
      RETURNING "reservedUsd"
    )
    UPDATE "Run" SET "reservedUsd" = "reservedUsd" - (SELECT COALESCE(SUM("reservedUsd"), 0) FROM released), "updatedAt" = now()
    WHERE id = ${runId}`;
}

/**
 * Gives back every reservation still held by a follow-up's in-flight calls, when the follow-up
 * ends (its sessions are over or being stopped). Runs inside the transaction that ends it.
 */
export async function releaseFollowUpReservations(tx: Prisma.TransactionClient, followUpId: string): Promise<void> {
  await tx.$executeRaw`
    WITH released AS (
      UPDATE "LlmCall" SET error = 'released: the follow-up ended during the call'
      WHERE "followUpId" = ${followUpId} AND "finishReason" IS NULL AND error IS NULL
      RETURNING "reservedUsd"
    )
    UPDATE "FollowUp" SET "reservedUsd" = "reservedUsd" - (SELECT COALESCE(SUM("reservedUsd"), 0) FROM released), "updatedAt" = now()
    WHERE id = ${followUpId}`;
}
