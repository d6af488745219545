import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { finishRun } from "@/lib/runs/run-lifecycle";
import { chargeCallAtReservation, releaseAbandonedReservations, reserveBudget, settleCall } from "./budget-guard";

const noTokens = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

async function runWithReservation() {
  const run = await db.run.create({ data: { title: "t", spec: "s", budgetUsd: 1, status: "running" } });
  const callId = await reserveBudget({ runId: run.id, amountUsd: "0.4", provider: "openai-compatible", model: "m" });
  expect(callId).not.toBeNull();
  return { runId: run.id, callId: callId! };
}

const readRun = (id: string) => db.run.findUniqueOrThrow({ where: { id }, select: { spentUsd: true, reservedUsd: true } });

describe("budget guard when a run ends during a call", () => {
  it("charges the reservation when the run ends, and a late settle replaces that charge with the actual cost", async () => {
    const { runId, callId } = await runWithReservation();
    await finishRun({ runId, status: "cancelled", reason: "user" });
    expect((await readRun(runId)).reservedUsd.toNumber()).toBe(0);

    await settleCall({ callId, runId, provider: "openai-compatible", model: "m", reservedUsd: "0.4", costUsd: "0.1", tokens: { ...noTokens, inputTokens: 10 }, latencyMs: 5, finishReason: "stop" });
    const run = await readRun(runId);
    expect(run.reservedUsd.toNumber()).toBe(0);
    expect(run.spentUsd.toNumber()).toBe(0.1);
  });

  it("refuses new reservations on an ended run with a clear error, not as budget exhaustion", async () => {
    const { runId } = await runWithReservation();
    await finishRun({ runId, status: "failed", reason: "boom" });
    await expect(reserveBudget({ runId, amountUsd: "0.01", provider: "openai-compatible", model: "m" })).rejects.toThrow(/The run is failed, so it makes no more model calls/);
  });

  it("still answers null (budget exhausted) for an active run whose budget is used up", async () => {
    const { runId } = await runWithReservation();
    expect(await reserveBudget({ runId, amountUsd: "0.7", provider: "openai-compatible", model: "m" })).toBeNull();
  });
});

describe("abandoned calls are charged at their reservation, never refunded", () => {
  it("a call whose worker died is charged at its worst case, says so, and a late settle replaces the charge", async () => {
    const run = await db.run.create({ data: { title: "t", spec: "s", budgetUsd: 1, status: "running" } });
    const task = await db.task.create({ data: { runId: run.id, key: "t1", title: "t", description: "d" } });
    const session = await db.agentSession.create({ data: { runId: run.id, taskId: task.id, role: "coder", model: "openai-compatible:m" } });
    const callId = await reserveBudget({ runId: run.id, sessionId: session.id, amountUsd: "0.4", provider: "openai-compatible", model: "m", attempt: 2 });
    expect(callId).not.toBeNull();

    expect(await releaseAbandonedReservations({ sessionId: session.id })).toBe(1);
    const charged = await readRun(run.id);
    expect([charged.spentUsd.toNumber(), charged.reservedUsd.toNumber()]).toEqual([0.4, 0]);
    const row = await db.llmCall.findUniqueOrThrow({ where: { id: callId! } });
    expect(row).toMatchObject({ attempt: 2, isChargedAtReservation: true });
    expect(row.costUsd.toNumber()).toBe(0.4);
    expect(row.error).toMatch(/abandoned: the worker stopped during the call; charged at its reservation, since the provider may have billed it/);
    expect((await db.agentSession.findUniqueOrThrow({ where: { id: session.id } })).costUsd.toNumber()).toBe(0.4);
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).costUsd.toNumber()).toBe(0.4);
    const event = await db.runEvent.findFirstOrThrow({ where: { runId: run.id, type: "llm.call.abandoned" } });
    expect(event.payload).toMatchObject({ callId, isChargedAtReservation: true, costUsd: "0.4000000000" });
    expect(event.costDeltaUsd.toNumber()).toBe(0.4);
    // Sweeping again finds nothing: charged once.
    expect(await releaseAbandonedReservations({ sessionId: session.id })).toBe(0);

    // The worker was alive after all and settles: the actual cost replaces the charge.
    await settleCall({ callId: callId!, runId: run.id, sessionId: session.id, taskId: task.id, provider: "openai-compatible", model: "m", reservedUsd: "0.4", costUsd: "0.1", tokens: { ...noTokens, inputTokens: 10 }, latencyMs: 5, finishReason: "stop" });
    const settled = await readRun(run.id);
    expect([settled.spentUsd.toNumber(), settled.reservedUsd.toNumber()]).toEqual([0.1, 0]);
    expect((await db.agentSession.findUniqueOrThrow({ where: { id: session.id } })).costUsd.toNumber()).toBe(0.1);
    expect((await db.llmCall.findUniqueOrThrow({ where: { id: callId! } })).isChargedAtReservation).toBe(false);
  });

  it("a call whose settle failed is charged at its reservation", async () => {
    const { runId, callId } = await runWithReservation();
    await chargeCallAtReservation({ callId, reason: "recording its cost failed (connection lost)" });
    const run = await readRun(runId);
    expect([run.spentUsd.toNumber(), run.reservedUsd.toNumber()]).toEqual([0.4, 0]);
    const row = await db.llmCall.findUniqueOrThrow({ where: { id: callId } });
    expect(row.isChargedAtReservation).toBe(true);
    expect(row.error).toMatch(/^abandoned: recording its cost failed \(connection lost\); charged at its reservation/);
  });

  it("a run ending mid-call charges the call at its reservation; spend never passes the budget", async () => {
    const run = await db.run.create({ data: { title: "t", spec: "s", budgetUsd: 1, status: "running" } });
    const calls = await Promise.all([0, 1, 2].map(() => reserveBudget({ runId: run.id, amountUsd: "0.3", provider: "openai-compatible", model: "m" })));
    expect(calls.every(Boolean)).toBe(true);
    expect(await reserveBudget({ runId: run.id, amountUsd: "0.3", provider: "openai-compatible", model: "m" })).toBeNull();
    await finishRun({ runId: run.id, status: "cancelled", reason: "user" });
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect([after.spentUsd.toNumber(), after.reservedUsd.toNumber()]).toEqual([0.9, 0]);
    expect(after.spentUsd.toNumber()).toBeLessThanOrEqual(after.budgetUsd.toNumber());
    expect(await db.llmCall.count({ where: { runId: run.id, isChargedAtReservation: true } })).toBe(3);
  });
});
