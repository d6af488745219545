// A follow-up's model calls spend the follow-up's own budget, whatever the run's status, and
// the budget holds under parallel calls exactly as the run's does.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { releaseAbandonedReservations, reserveBudget, settleCall } from "@/lib/llm/budget-guard";
import { finishRun } from "@/lib/runs/run-lifecycle";
import { toRunSummaryDto, runSummarySelect } from "@/lib/runs/to-run-dto";
import { finishFollowUp, recordFollowUp, startFollowUp } from "./follow-up";

const tokens = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
const call = { provider: "openai-compatible", model: "m" };

/** A run that really ended (finishRun), its task and PR, and a running follow-up with a fixer session. */
async function followUpOnSucceededRun(options: { followUpBudgetUsd?: number; runBudgetUsd?: number } = {}) {
  const repository = await db.repository.create({ data: { owner: "acme", name: `widgets-${randomBytes(3).toString("hex")}`, followUpBudgetUsd: options.followUpBudgetUsd ?? 2 } });
  const run = await db.run.create({ data: { repositoryId: repository.id, title: "t", spec: "s", budgetUsd: options.runBudgetUsd ?? 1, status: "running", spentUsd: 0.25 } });
  const task = await db.task.create({ data: { runId: run.id, key: "greeting", title: "Greeting", description: "d", status: "succeeded", branch: `factory/${run.id}-greeting` } });
  const pullRequest = await db.pullRequest.create({
    data: { repositoryId: repository.id, runId: run.id, taskId: task.id, number: 7, url: "https://example.test/pull/7", headBranch: task.branch!, baseBranch: "main", state: "open" },
  });
  expect(await finishRun({ runId: run.id, status: "succeeded", summary: "done" })).toBe("succeeded");
  const followUp = await recordFollowUp({ runId: run.id, taskId: task.id, pullRequestId: pullRequest.id, number: 7, key: `review-${randomBytes(4).readUInt32BE()}`, author: "octocat", text: "please fix" });
  await startFollowUp(followUp.id);
  const session = await db.agentSession.create({ data: { runId: run.id, taskId: task.id, role: "fixer", model: "openai-compatible:m", followUpId: followUp.id } });
  return { run, task, followUpId: followUp.id, sessionId: session.id };
}

const readRun = (id: string) => db.run.findUniqueOrThrow({ where: { id }, select: { spentUsd: true, reservedUsd: true, followUpSpentUsd: true, budgetUsd: true } });
const readFollowUp = (id: string) => db.followUp.findUniqueOrThrow({ where: { id }, select: { spentUsd: true, reservedUsd: true, budgetUsd: true, status: true } });

describe("follow-up budget", () => {
  it("reserves and settles against the follow-up on a succeeded run; the run's budget is untouched and its follow-up spend grows", async () => {
    const { run, task, followUpId, sessionId } = await followUpOnSucceededRun();
    const callId = await reserveBudget({ runId: run.id, sessionId, amountUsd: "0.5", ...call });
    expect(callId).not.toBeNull();
    expect((await readFollowUp(followUpId)).reservedUsd.toNumber()).toBe(0.5);
    expect((await readRun(run.id)).reservedUsd.toNumber()).toBe(0);
    expect(await db.llmCall.findUniqueOrThrow({ where: { id: callId! }, select: { followUpId: true } })).toEqual({ followUpId });

    await settleCall({ callId: callId!, runId: run.id, sessionId, taskId: task.id, ...call, reservedUsd: "0.5", costUsd: "0.12", tokens, latencyMs: 3, finishReason: "stop" });
    const followUp = await readFollowUp(followUpId);
    expect([followUp.spentUsd.toNumber(), followUp.reservedUsd.toNumber()]).toEqual([0.12, 0]);
    const after = await readRun(run.id);
    expect([after.spentUsd.toNumber(), after.reservedUsd.toNumber(), after.followUpSpentUsd.toNumber()]).toEqual([0.25, 0, 0.12]);
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).costUsd.toNumber()).toBe(0.12);
    expect((await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } })).costUsd.toNumber()).toBe(0.12);
    // The run DTO shows it next to the run's own spend.
    expect(toRunSummaryDto(await db.run.findUniqueOrThrow({ where: { id: run.id }, select: runSummarySelect }))).toMatchObject({ spentUsd: 0.25, followUpSpentUsd: 0.12 });
  });

  it("holds the follow-up budget under parallel calls: spent + reserved never exceeds it", async () => {
    const { run, followUpId, sessionId } = await followUpOnSucceededRun({ followUpBudgetUsd: 2 });
    const reservations = await Promise.all(Array.from({ length: 20 }, () => reserveBudget({ runId: run.id, sessionId, amountUsd: "0.3", ...call })));
    const granted = reservations.filter((id): id is string => id !== null);
    expect(granted).toHaveLength(6); // 6 x 0.3 = 1.8 <= 2 < 7 x 0.3
    expect((await readFollowUp(followUpId)).reservedUsd.toNumber()).toBeCloseTo(1.8, 10);
    // Every call costs its whole worst case, settled in parallel: still within the budget.
    await Promise.all(granted.map((callId) => settleCall({ callId, runId: run.id, sessionId, ...call, reservedUsd: "0.3", costUsd: "0.3", tokens, latencyMs: 1, finishReason: "stop" })));
    const followUp = await readFollowUp(followUpId);
    expect(followUp.reservedUsd.toNumber()).toBe(0);
    expect(followUp.spentUsd.toNumber()).toBeCloseTo(1.8, 10);
    expect(followUp.spentUsd.toNumber()).toBeLessThanOrEqual(followUp.budgetUsd.toNumber());
    expect((await readRun(run.id)).followUpSpentUsd.toNumber()).toBeCloseTo(1.8, 10);
    // The next call does not fit: budget exhausted (null), not an error.
    expect(await reserveBudget({ runId: run.id, sessionId, amountUsd: "0.3", ...call })).toBeNull();
  });

  it("refuses calls once the follow-up ended, and gives its in-flight reservations back when it ends", async () => {
    const { run, followUpId, sessionId } = await followUpOnSucceededRun();
    const inFlight = await reserveBudget({ runId: run.id, sessionId, amountUsd: "0.4", ...call });
    expect(inFlight).not.toBeNull();
    expect(await finishFollowUp({ followUpId, status: "failed", reason: "boom" })).toBe(true);
    expect(await readFollowUp(followUpId)).toMatchObject({ status: "failed" });
    expect((await readFollowUp(followUpId)).reservedUsd.toNumber()).toBe(0);
    expect((await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("stopped");
    await expect(reserveBudget({ runId: run.id, sessionId, amountUsd: "0.01", ...call })).rejects.toThrow(/The follow-up is failed, so it makes no more model calls/);
    // The late settle adds its cost without giving the reservation back twice.
    await settleCall({ callId: inFlight!, runId: run.id, sessionId, ...call, reservedUsd: "0.4", costUsd: "0.05", tokens, latencyMs: 1, finishReason: "stop" });
    const followUp = await readFollowUp(followUpId);
    expect([followUp.spentUsd.toNumber(), followUp.reservedUsd.toNumber()]).toEqual([0.05, 0]);
    expect(await finishFollowUp({ followUpId, status: "succeeded" })).toBe(false);
  });

  it("keeps a follow-up's reservation when the run ends mid-call, and returns an abandoned one to the follow-up", async () => {
    const repository = await db.repository.create({ data: { owner: "acme", name: `widgets-${randomBytes(3).toString("hex")}` } });
    const run = await db.run.create({ data: { repositoryId: repository.id, title: "t", spec: "s", budgetUsd: 1, status: "running" } });
    const task = await db.task.create({ data: { runId: run.id, key: "k", title: "k", description: "d", branch: `factory/${run.id}-k` } });
    const pullRequest = await db.pullRequest.create({ data: { repositoryId: repository.id, runId: run.id, taskId: task.id, number: 3, url: "u", headBranch: task.branch!, baseBranch: "main" } });
    const followUp = await recordFollowUp({ runId: run.id, taskId: task.id, pullRequestId: pullRequest.id, number: 3, key: `comment-${randomBytes(4).readUInt32BE()}`, author: "octocat", text: "x" });
    await startFollowUp(followUp.id);
    const session = await db.agentSession.create({ data: { runId: run.id, taskId: task.id, role: "fixer", model: "openai-compatible:m", followUpId: followUp.id } });
    expect(await reserveBudget({ runId: run.id, sessionId: session.id, amountUsd: "0.7", ...call })).not.toBeNull();

    await finishRun({ runId: run.id, status: "failed", reason: "a task failed" });
    expect((await readFollowUp(followUp.id)).reservedUsd.toNumber()).toBe(0.7);
    expect((await readRun(run.id)).reservedUsd.toNumber()).toBe(0);

    expect(await releaseAbandonedReservations({ sessionId: session.id })).toBe(1);
    expect((await readFollowUp(followUp.id)).reservedUsd.toNumber()).toBe(0);
    expect((await readRun(run.id)).reservedUsd.toNumber()).toBe(0);
  });

  it("creates one follow-up per piece of feedback, with the repository's follow-up budget", async () => {
    const { run, task, followUpId } = await followUpOnSucceededRun({ followUpBudgetUsd: 3.5 });
    const row = await db.followUp.findUniqueOrThrow({ where: { id: followUpId } });
    expect(row.budgetUsd.toNumber()).toBe(3.5);
    const again = await recordFollowUp({ runId: run.id, taskId: task.id, pullRequestId: row.pullRequestId, number: 7, key: row.sourceKey, author: "octocat", text: "please fix" });
    expect(again).toEqual({ id: followUpId, status: "running", isCreated: false });
    expect(await db.followUp.count({ where: { sourceKey: row.sourceKey } })).toBe(1);
    expect(await db.runEvent.count({ where: { runId: run.id, type: "follow-up.queued" } })).toBe(1);
  });
});
