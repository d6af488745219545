import { streamText, tool } from "ai";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRun, scriptedModel, scriptedPrice, useScriptedModel } from "@/test/agent-fixtures";
import { startScriptedLlmServer, type ScriptedLlmServer } from "@/test/scripted-llm-server";
import { db } from "@/lib/db";
import { callModel, ModelCallError } from "./call-model";
import { createLanguageModel } from "./language-model";
import { parseModelRef } from "./model-ref";

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
  useScriptedModel(server.baseUrl);
});
afterAll(() => server.close());

const modelRef = parseModelRef(scriptedModel);
const price = { ...scriptedPrice, source: "env" as const };

const smallCall = (runId: string) => ({
  runId, modelRef, model: createLanguageModel(modelRef), price,
  instructions: { role: "system" as const, content: "s" }, messages: [{ role: "user" as const, content: "x" }], tools: {}, maxOutputTokens: 10,
});

async function call(runId: string, retries = 3) {
  return callModel({
    runId,
    modelRef,
    model: createLanguageModel(modelRef),
    price,
    instructions: { role: "system", content: "You are a test." },
    messages: [{ role: "user", content: "hello" }],
    tools: {},
    maxOutputTokens: 100,
    retry: { maxRetries: retries, initialDelayMs: 10, timeoutMs: 2_000 },
  });
}

describe("callModel", () => {
  it("retries a 429, honouring retry-after, and a 500, then settles the actual cost", async () => {
    const run = await createTestRun({ budgetUsd: 1 });
    const first = server.requests.length;
    server.push({ error: { status: 429, retryAfterSec: 0.3 } }, { error: { status: 500 } }, { text: "hi", usage: { promptTokens: 1000, completionTokens: 10, cachedTokens: 400 } });
    const startedAt = performance.now();
    const result = await call(run.id);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(server.requests.length - first).toBe(3);
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.tokens).toEqual({ inputTokens: 1000, outputTokens: 10, cacheReadTokens: 400, cacheWriteTokens: 0 });
    expect(result.costUsd).toBe(((600 * 1 + 400 * 0.1 + 10 * 2) / 1e6).toFixed(10));
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.spentUsd.toFixed(10)).toBe(result.costUsd);
    expect(Number(after.reservedUsd)).toBe(0);
    expect(after).toMatchObject({ inputTokens: 1000, outputTokens: 10, cacheReadTokens: 400 });
    // One reservation and one row per attempt; the refused attempts cost nothing.
    const calls = await db.llmCall.findMany({ where: { runId: run.id }, orderBy: { attempt: "asc" } });
    expect(calls.map((c) => [c.attempt, c.costUsd.toFixed(10), c.isChargedAtReservation])).toEqual([
      [1, "0.0000000000", false],
      [2, "0.0000000000", false],
      [3, result.costUsd, false],
    ]);
    expect(calls[0].error).toMatch(/^attempt 1: HTTP 429.*not billed/);
    expect(calls[1].error).toMatch(/^attempt 2: HTTP 500.*not billed/);
    expect(calls[2]).toMatchObject({ cacheReadTokens: 400, finishReason: "stop", error: null });
    expect(Number(calls[2].reservedUsd)).toBeGreaterThanOrEqual(Number(calls[2].costUsd));
    const retries = await db.runEvent.findMany({ where: { runId: run.id, type: "llm.call.retry" }, orderBy: { id: "asc" } });
    expect(retries.map((event) => (event.payload as { reason: string }).reason)).toEqual([expect.stringMatching(/HTTP 429/), expect.stringMatching(/HTTP 500/)]);
    expect((retries[0].payload as { delayMs: number }).delayMs).toBe(300);
  });

  it("retries a slow response after its timeout", async () => {
    const run = await createTestRun({ budgetUsd: 1 });
    server.push({ delayMs: 1_500, text: "too late" }, { text: "in time" });
    const result = await callModel({
      runId: run.id, modelRef, model: createLanguageModel(modelRef), price,
      instructions: { role: "system", content: "s" }, messages: [{ role: "user", content: "x" }], tools: {}, maxOutputTokens: 10,
      retry: { maxRetries: 2, initialDelayMs: 10, timeoutMs: 500 },
    });
    expect(result.status === "ok" && result.result.text).toBe("in time");
    // The timed-out attempt may have been billed with no usage seen: charged at its reservation.
    const calls = await db.llmCall.findMany({ where: { runId: run.id }, orderBy: { attempt: "asc" } });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ attempt: 1, isChargedAtReservation: true, finishReason: null });
    expect(calls[0].error).toMatch(/^attempt 1: TimeoutError: .*timeout; charged at its reservation/);
    expect(calls[0].costUsd.toFixed(10)).toBe(calls[0].reservedUsd.toFixed(10));
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.spentUsd.toFixed(10)).toBe((Number(calls[0].reservedUsd) + Number(calls[1].costUsd)).toFixed(10));
    expect(Number(after.reservedUsd)).toBe(0);
  });

  it("stops retrying when the next attempt's reservation no longer fits, and spend stays within the budget", async () => {
    const probe = await createTestRun({ budgetUsd: 1 });
    server.push({ text: "sizing" });
    const sized = await callModel({ ...smallCall(probe.id), retry: { maxRetries: 0, timeoutMs: 2_000 } });
    const reserved = Number(sized.reservedUsd);
    // Room for one attempt's worst case and a half: the timed-out attempt is charged in full.
    const run = await createTestRun({ budgetUsd: (reserved * 1.5).toFixed(10) });
    server.push({ delayMs: 1_500, text: "too late" });
    const result = await callModel({ ...smallCall(run.id), retry: { maxRetries: 3, initialDelayMs: 10, timeoutMs: 300 } });
    expect(result.status).toBe("budget_exhausted");
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.spentUsd.toNumber()).toBe(reserved);
    expect(after.spentUsd.toNumber()).toBeLessThanOrEqual(after.budgetUsd.toNumber());
    expect(Number(after.reservedUsd)).toBe(0);
    expect(await db.llmCall.count({ where: { runId: run.id } })).toBe(1);
  });

  it("fails a non-retryable error at once, releases the reservation and records the failure", async () => {
    const run = await createTestRun({ budgetUsd: 1 });
    const first = server.requests.length;
    server.push({ error: { status: 401, message: "bad key" } });
    const error = await call(run.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as Error).message).toMatch(/HTTP 401.*bad key/);
    expect(server.requests.length - first).toBe(1);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(Number(after.reservedUsd)).toBe(0);
    expect(Number(after.spentUsd)).toBe(0);
    expect((await db.llmCall.findFirstOrThrow({ where: { runId: run.id } })).error).toMatch(/401/);
  });

  it("refuses a call whose worst case does not fit the budget, without calling the model", async () => {
    const run = await createTestRun({ budgetUsd: "0.0001" });
    const first = server.requests.length;
    const result = await call(run.id);
    expect(result.status).toBe("budget_exhausted");
    expect(server.requests.length).toBe(first);
    expect(Number((await db.run.findUniqueOrThrow({ where: { id: run.id } })).reservedUsd)).toBe(0);
  });
});

describe("scripted server", () => {
  it("streams text, tool calls and usage with cached tokens", async () => {
    server.push({ text: "Hel", toolCalls: [{ name: "ping", args: { n: 1 } }], usage: { promptTokens: 50, completionTokens: 7, cachedTokens: 20 } });
    const result = streamText({ model: createLanguageModel(modelRef), prompt: "hi", tools: { ping: tool({ inputSchema: z.object({ n: z.number() }) }) } });
    const toolCalls = await result.toolCalls;
    expect(await result.text).toBe("Hel");
    expect(toolCalls.map((c) => [c.toolName, c.input])).toEqual([["ping", { n: 1 }]]);
    const usage = await result.usage;
    expect(usage.inputTokens).toBe(50);
    expect(usage.inputTokenDetails.cacheReadTokens).toBe(20);
    expect(server.requests.at(-1)!.json.stream).toBe(true);
  });
});
