// The guarantee: recorded spend never exceeds the run's budget, even with parallel sessions
// whose calls each cost close to their reserved worst case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentSession } from "@/lib/agents/agent-session";
import { runAgentSession } from "@/lib/agents/agent-loop";
import { db } from "@/lib/db";
import { reserveBudget } from "@/lib/llm/budget-guard";
import { createSampleRepo, createTestRun, scriptedModel, useScriptedModel } from "./agent-fixtures";
import { startScriptedLlmServer, type ScriptedLlmServer } from "./scripted-llm-server";

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
  // No cache-write surcharge, so a call at the bound costs its whole reservation.
  useScriptedModel(server.baseUrl, { [scriptedModel]: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 } });
  // Every answer uses all allowed output tokens and reports every request byte as a token.
  server.setFallback((request) => ({
    toolCalls: [{ name: "write_file", args: { path: `notes/${request.index}.txt`, content: `note ${request.index}\n` } }],
    usage: {
      promptTokens: Buffer.byteLength(request.body),
      completionTokens: request.json.max_tokens ?? request.json.max_completion_tokens ?? 0,
      cachedTokens: 0,
    },
  }));
});
afterAll(() => server.close());

describe("budget guard under pressure", () => {
  it("lets parallel reservations jointly reserve at most the budget", async () => {
    const run = await createTestRun({ budgetUsd: "1.0" });
    const results = await Promise.all(Array.from({ length: 20 }, () => reserveBudget({ runId: run.id, amountUsd: "0.2000000000", provider: "openai-compatible", model: "scripted-model" })));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(Number((await db.run.findUniqueOrThrow({ where: { id: run.id } })).reservedUsd)).toBe(1);
  });

  it("never records spend above the budget with six sessions sharing one run", async () => {
    const budgetUsd = 0.15;
    const run = await createTestRun({ budgetUsd });
    const sessions = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const session = await createAgentSession({ runId: run.id, role: "coder", model: scriptedModel, task: `Write notes, worker ${index}.` });
        return { id: session.id, workspace: createSampleRepo() };
      }),
    );
    const outcomes = await Promise.all(
      sessions.map((session) => runAgentSession({ sessionId: session.id, workspace: session.workspace, maxOutputTokens: 2_000, turnsPerChunk: 3, maxTurns: 40 })),
    );

    expect(outcomes.every((outcome) => outcome.stopReason === "budget_exhausted")).toBe(true);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const calls = await db.llmCall.findMany({ where: { runId: run.id } });
    const sumOfCalls = calls.reduce((sum, call) => sum + Number(call.costUsd), 0);
    expect(calls.length).toBeGreaterThan(6);
    expect(Number(after.spentUsd)).toBeLessThanOrEqual(budgetUsd);
    expect(Number(after.spentUsd)).toBeCloseTo(sumOfCalls, 9);
    expect(Number(after.reservedUsd)).toBe(0);
    // Usage was near the worst case, so the budget was nearly used up, not refused early.
    const largestReservation = Math.max(...calls.map((call) => Number(call.reservedUsd)));
    expect(Number(after.spentUsd)).toBeGreaterThan(budgetUsd - 2 * largestReservation);
    expect(calls.every((call) => Number(call.costUsd) <= Number(call.reservedUsd))).toBe(true);
    expect(calls.some((call) => Number(call.costUsd) > 0.85 * Number(call.reservedUsd))).toBe(true);
  });
});
