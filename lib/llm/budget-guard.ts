// Reserve-then-settle accounting against Run.budgetUsd. The reservation is one conditional
// UPDATE, so parallel sessions on one run can never jointly reserve past the budget. It also
// inserts the call's LlmCall row as "in flight" (no finish reason, no error yet), so a call
// left by a worker that died mid-call can be found and charged at its reservation (the
// provider may have billed it; a refund could let spend pass the budget).
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordRunEvent } from "@/lib/runs/run-events";
import { activeRunStatuses, isActiveRunStatus } from "@/lib/runs/run-status";
import { AppError } from "@/lib/errors";
import type { CallTokens } from "./model-price";

export type ReserveBudgetInput = {
  runId: string;
  amountUsd: string;
  sessionId?: string | null;
  provider: string;
  model: string;
  /** Which try of the call this is (1-based): every attempt reserves and records its own row. */
  attempt?: number;
};

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
      WHERE id = ${input.runId} AND status = ANY(${[...activeRunStatuses]}::"RunStatus"[])
        AND "spentUsd" + "reservedUsd" + ${input.amountUsd}::numeric <= "budgetUsd"
        AND NOT EXISTS (SELECT 1 FROM follow_up)
      RETURNING id
    ), follow_up_reserved AS (
      UPDATE "FollowUp" SET "reservedUsd" = "reservedUsd" + ${input.amountUsd}::numeric, "updatedAt" = now()
      WHERE id = (SELECT id FROM follow_up) AND "runId" = ${input.runId} AND status = 'running'
        AND "spentUsd" + "reservedUsd" + ${input.amountUsd}::numeric <= "budgetUsd"
      RETURNING id
    )
    INSERT INTO "LlmCall" (id, "runId", "sessionId", provider, model, "reservedUsd", "followUpId", attempt)
    SELECT ${callId}, reserved.id, ${input.sessionId ?? null}, ${input.provider}, ${input.model}, ${input.amountUsd}::numeric, NULL, ${input.attempt ?? 1}::int FROM reserved
    UNION ALL
    SELECT ${callId}, ${input.runId}, ${input.sessionId ?? null}, ${input.provider}, ${input.model}, ${input.amountUsd}::numeric, follow_up_reserved.id, ${input.attempt ?? 1}::int FROM follow_up_reserved
    RETURNING id`;
  if (rows.length === 1) return callId;
  const session = input.sessionId ? await db.agentSession.findUnique({ where: { id: input.sessionId }, select: { followUp: { select: { status: true } } } }) : null;
  if (session?.followUp) {
    if (session.followUp.status !== "running") throw new AppError("conflict", `The follow-up is ${session.followUp.status}, so it makes no more model calls.`);
    return null;
  }
  const run = await db.run.findUnique({ where: { id: input.runId }, select: { status: true } });
  if (!run) throw new AppError("not_found", `Run ${input.runId} not found`);
  if (!isActiveRunStatus(run.status)) {
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
  /**
   * The provider may have billed the call but reported no usage (timeout, dropped connection):
   * costUsd is the reservation, and the row says so.
   */
  isChargedAtReservation?: boolean;
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
    const settled = await tx.$queryRaw<{ delta: string }[]>`
      WITH in_flight AS (
        -- Locked, so a concurrent release (the run ended) and this settle never both give the
        -- reservation back; a released call still adds its actual cost.
        SELECT id FROM "LlmCall" WHERE id = ${input.callId} AND "finishReason" IS NULL AND error IS NULL FOR UPDATE
      ), already_charged AS (
        -- Charged at its reservation meanwhile (the run ended, or the call was taken for
        -- abandoned): the actual cost replaces that charge instead of adding to it.
        SELECT "reservedUsd" AS amount FROM "LlmCall" WHERE id = ${input.callId} AND "isChargedAtReservation"
      ), cost AS (
        SELECT ${input.costUsd}::numeric - COALESCE((SELECT amount FROM already_charged), 0) AS delta
      ), call_follow_up AS (
        SELECT "followUpId" AS id FROM "LlmCall" WHERE id = ${input.callId} AND "followUpId" IS NOT NULL
      ), follow_up_totals AS (
        UPDATE "FollowUp" SET
          "reservedUsd" = "reservedUsd" - CASE WHEN EXISTS (SELECT 1 FROM in_flight) THEN ${input.reservedUsd}::numeric ELSE 0 END,
          "spentUsd" = "spentUsd" + (SELECT delta FROM cost), "updatedAt" = now()
        WHERE id = (SELECT id FROM call_follow_up) RETURNING id
      ), run_totals AS (
        UPDATE "Run" SET
          "reservedUsd" = "reservedUsd" - CASE WHEN EXISTS (SELECT 1 FROM in_flight) AND NOT EXISTS (SELECT 1 FROM call_follow_up) THEN ${input.reservedUsd}::numeric ELSE 0 END,
          "spentUsd" = "spentUsd" + CASE WHEN EXISTS (SELECT 1 FROM call_follow_up) THEN 0 ELSE (SELECT delta FROM cost) END,
          "followUpSpentUsd" = "followUpSpentUsd" + CASE WHEN EXISTS (SELECT 1 FROM call_follow_up) THEN (SELECT delta FROM cost) ELSE 0 END,
          "inputTokens" = "inputTokens" + ${inputTokens}, "outputTokens" = "outputTokens" + ${outputTokens},
          "cacheReadTokens" = "cacheReadTokens" + ${cacheReadTokens}, "cacheWriteTokens" = "cacheWriteTokens" + ${cacheWriteTokens},
          "updatedAt" = now()
        WHERE id = ${input.runId} RETURNING id
      ), session_totals AS (
        UPDATE "AgentSession" SET
          "costUsd" = "costUsd" + (SELECT delta FROM cost),
          "inputTokens" = "inputTokens" + ${inputTokens}, "outputTokens" = "outputTokens" + ${outputTokens},
          "cacheReadTokens" = "cacheReadTokens" + ${cacheReadTokens}, "cacheWriteTokens" = "cacheWriteTokens" + ${cacheWriteTokens},
          "updatedAt" = now()
        WHERE id = ${input.sessionId ?? null} RETURNING id
      ), task_totals AS (
        UPDATE "Task" SET "costUsd" = "costUsd" + (SELECT delta FROM cost), "updatedAt" = now() WHERE id = ${input.taskId ?? null} RETURNING id
      )
      UPDATE "LlmCall" SET
        "inputTokens" = ${inputTokens}, "outputTokens" = ${outputTokens}, "cacheReadTokens" = ${cacheReadTokens}, "cacheWriteTokens" = ${cacheWriteTokens},
        "costUsd" = ${input.costUsd}::numeric, "latencyMs" = ${Math.round(input.latencyMs)},
        "finishReason" = ${input.finishReason ?? null}, error = COALESCE(${input.error ?? null}, error),
        "isChargedAtReservation" = ${input.isChargedAtReservation ?? false}
      WHERE id = ${input.callId} AND EXISTS (SELECT 1 FROM run_totals)
      RETURNING (SELECT delta FROM cost)::text AS delta`;
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
          ...(input.isChargedAtReservation ? { isChargedAtReservation: true } : {}),
        },
        costDeltaUsd: settled[0]?.delta ?? input.costUsd,
      },
      tx,
    );
  });
}

/**
 * Charges, at their reservations, the calls a session started but never settled (its worker
 * died mid-call): the provider may have billed them, so they are not refunded. Call only from
 * the one worker that owns the session, before it calls again. A late settle (the worker was
 * alive after all) replaces the charge with the actual cost.
 */
export async function releaseAbandonedReservations(options: { sessionId: string }): Promise<number> {
  const charged = await db.$transaction((tx: Prisma.TransactionClient) =>
    chargeInFlightAtReservation(tx, Prisma.sql`"sessionId" = ${options.sessionId}`, "abandoned: the worker stopped during the call"),
  );
  return charged;
}

/**
 * Charges one call at its reservation when recording its actual cost failed (settle threw):
 * what the provider billed is unknown, so the worst case stands.
 */
export async function chargeCallAtReservation(options: { callId: string; reason: string }): Promise<void> {
  await db.$transaction((tx: Prisma.TransactionClient) =>
    chargeInFlightAtReservation(tx, Prisma.sql`id = ${options.callId}`, `abandoned: ${options.reason}`),
  );
}

/**
 * Ends every in-flight call of a run when the run ends early (its workers are being stopped),
 * charging each at its reservation, since the provider may bill it. A worker that still settles
 * afterwards replaces the charge with the actual cost. Runs inside the transaction that ends the run.
 */
export async function releaseRunReservations(tx: Prisma.TransactionClient, runId: string): Promise<void> {
  // A follow-up's calls hold the follow-up's budget, not the run's; they outlive the run.
  await chargeInFlightAtReservation(tx, Prisma.sql`"runId" = ${runId} AND "followUpId" IS NULL`, "the run ended during the call");
}

/**
 * Moves the reservation of each matching in-flight call into spend (Run or FollowUp, session
 * and task totals), marks the row isChargedAtReservation with the reason, and records an
 * "llm.call.abandoned" event per call. Spend + reservations is unchanged, so the budget holds.
 */
async function chargeInFlightAtReservation(tx: Prisma.TransactionClient, where: Prisma.Sql, reason: string): Promise<number> {
  const error = `${reason}; charged at its reservation, since the provider may have billed it`;
  const charged = await tx.$queryRaw<{ id: string; runId: string; sessionId: string | null; model: string; reservedUsd: string }[]>`
    WITH charged AS (
      UPDATE "LlmCall" SET error = ${error}, "isChargedAtReservation" = true, "costUsd" = "reservedUsd"
      WHERE ${where} AND "finishReason" IS NULL AND error IS NULL
      RETURNING id, "runId", "sessionId", "followUpId", provider, model, "reservedUsd"
    ), run_totals AS (
      -- One UPDATE per Run row: a row updated twice in one statement keeps only one change.
      UPDATE "Run" SET
        "reservedUsd" = "Run"."reservedUsd" - totals.own, "spentUsd" = "Run"."spentUsd" + totals.own,
        "followUpSpentUsd" = "Run"."followUpSpentUsd" + totals.follow_up, "updatedAt" = now()
      FROM (
        SELECT "runId",
          SUM(CASE WHEN "followUpId" IS NULL THEN "reservedUsd" ELSE 0 END) AS own,
          SUM(CASE WHEN "followUpId" IS NOT NULL THEN "reservedUsd" ELSE 0 END) AS follow_up
        FROM charged GROUP BY "runId"
      ) AS totals
      WHERE "Run".id = totals."runId" RETURNING "Run".id
    ), follow_up_totals AS (
      -- A follow-up's calls reserved against the follow-up's budget, so that is where they are charged.
      UPDATE "FollowUp" SET "reservedUsd" = "FollowUp"."reservedUsd" - totals.amount, "spentUsd" = "FollowUp"."spentUsd" + totals.amount, "updatedAt" = now()
      FROM (SELECT "followUpId", SUM("reservedUsd") AS amount FROM charged WHERE "followUpId" IS NOT NULL GROUP BY "followUpId") AS totals
      WHERE "FollowUp".id = totals."followUpId" RETURNING "FollowUp".id
    ), session_totals AS (
      UPDATE "AgentSession" SET "costUsd" = "AgentSession"."costUsd" + totals.amount, "updatedAt" = now()
      FROM (SELECT "sessionId", SUM("reservedUsd") AS amount FROM charged WHERE "sessionId" IS NOT NULL GROUP BY "sessionId") AS totals
      WHERE "AgentSession".id = totals."sessionId" RETURNING "AgentSession".id
    ), task_totals AS (
      UPDATE "Task" SET "costUsd" = "Task"."costUsd" + totals.amount, "updatedAt" = now()
      FROM (
        SELECT session."taskId", SUM(charged."reservedUsd") AS amount
        FROM charged JOIN "AgentSession" AS session ON session.id = charged."sessionId"
        WHERE session."taskId" IS NOT NULL GROUP BY session."taskId"
      ) AS totals
      WHERE "Task".id = totals."taskId" RETURNING "Task".id
    )
    SELECT id, "runId", "sessionId", provider || ':' || model AS model, "reservedUsd"::text AS "reservedUsd" FROM charged`;
  for (const call of charged) {
    await recordRunEvent(
      {
        runId: call.runId,
        type: "llm.call.abandoned",
        payload: { callId: call.id, sessionId: call.sessionId, model: call.model, costUsd: call.reservedUsd, isChargedAtReservation: true, error },
        costDeltaUsd: call.reservedUsd,
      },
      tx,
    );
  }
  return charged.length;
}

/**
 * Ends every in-flight call of a follow-up when it ends (its sessions are over or being
 * stopped), charged at its reservation like a run's. Runs inside the transaction that ends it.
 */
export async function releaseFollowUpReservations(tx: Prisma.TransactionClient, followUpId: string): Promise<void> {
  await chargeInFlightAtReservation(tx, Prisma.sql`"followUpId" = ${followUpId}`, "the follow-up ended during the call");
}
