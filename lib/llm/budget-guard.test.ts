import { describe, expect, it } from "vitest";
import { db } from "../db";
import { finishRun } from "../runs/finish-run";
import { reserveBudget, settleCall } from "./budget-guard";

const noTokens = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

async function runWithReservation() {
  const run = await db.run.create({ data: { title: "t", spec: "s", budgetUsd: 1, status: "running" } });
  const callId = await reserveBudget({ runId: run.id, amountUsd: "0.4", provider: "openai-compatible", model: "m" });
  expect(callId).not.toBeNull();
  return { runId: run.id, callId: callId! };
}

const readRun = (id: string) => db.run.findUniqueOrThrow({ where: { id }, select: { spentUsd: true, reservedUsd: true } });

describe("budget guard when a run ends during a call", () => {
  it("gives the reservation back when the run ends, and the late settle adds the cost without giving it back twice", async () => {
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
