// Best-of-N coder attempts end to end: run-spec -> run-task through the in-process harness, the
// local GitHub, the scripted model and the real sandbox. The scripted coder behaves by the model
// each attempt was given (models.coder as a list), so the test knows which attempt wrote what.
import { afterEach, describe, expect, it } from "vitest";
import { describeRunEvent } from "@/lib/client/run-events";
import { db } from "@/lib/db";
import { listWorkspaces } from "@/lib/git/workspace";
import { getRunDetailOrThrow } from "@/lib/runs/read-runs";
import { estimateAttemptUsd } from "@/lib/tasks/coder-attempts";
import { useScriptedModel } from "@/test/agent-fixtures";
import { secretCanaries } from "@/test/secret-canaries";
import {
  farewellTask, farewellTest, greeterRepo, plannerSubmits, requestRun, reviewerFollowsTests, roleOf, sessionStarts, startFactoryWorld, startFlowEngine, taskMessageOf, writes,
  type FactoryWorld, type RoleScript,
} from "./factory-flow-fixtures";

const { harness, slack, finishedRunSpec } = await startFlowEngine({ runTimeoutMs: 240_000 });
const cancelRoute = await import("@/app/api/runs/[id]/cancel/route");

let world: FactoryWorld | undefined;
afterEach(async () => world?.close());

const testerTest = "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { farewell } from '../farewell.js';\n\ntest('says goodbye to Bob', () => assert.equal(farewell('Bob'), 'Goodbye, Bob!'));\n";

/** Fixed usage per coder call, so each attempt's cost is exact: 1000 prompt tokens, 100 completion, none cached. */
const coderUsage = { promptTokens: 1000, completionTokens: 100, cachedTokens: 0 };

function submitRun(input: { models: Record<string, string | string[]>; coderAttempts: number; budgetUsd: number; maxIterations?: number }) {
  return requestRun(world!, harness.send, { title: "Say goodbye", spec: "Add farewell.", maxIterations: 2, ...input });
}

const taskEvents = (runId: string, type: string) => db.runEvent.findMany({ where: { runId, type }, orderBy: { seq: "asc" } });

describe("best-of-N coder attempts", () => {
  it("runs 3 attempts; only attempt 2 passes the tests, so it gets the PR, the other branches are gone and the costs add up", async () => {
    const implementations: Record<string, string> = {
      "scripted-a": "export const farewell = (name) => `Goodbye, ${name}`;\n",
      "scripted-b": "export const farewell = (name) => `Goodbye, ${name}!`;\n",
      "scripted-c": "export const farewell = (name) => `Bye, ${name}!`;\n",
    };
    const coder: RoleScript = (request, turn) => ({
      ...writes({ "farewell.js": implementations[request.json.model], "test/farewell.test.js": farewellTest }, "Added farewell")(request, turn),
      usage: coderUsage,
    });
    world = await startFactoryWorld({
      files: greeterRepo,
      testCommand: "node --test",
      roles: { planner: plannerSubmits([farewellTask]), coder, tester: writes({ "test/farewell-bob.test.js": testerTest }, "A test for Bob"), reviewer: reviewerFollowsTests() },
    });
    // Three coder models at different prices ($ per million tokens), so each attempt's cost is its own.
    useScriptedModel(world.llm.baseUrl, {
      "openai-compatible:scripted-a": { input: 1, output: 2, cacheRead: 1, cacheWrite: 1 },
      "openai-compatible:scripted-b": { input: 2, output: 4, cacheRead: 2, cacheWrite: 2 },
      "openai-compatible:scripted-c": { input: 3, output: 6, cacheRead: 3, cacheWrite: 3 },
    });
    const coderModels = ["openai-compatible:scripted-a", "openai-compatible:scripted-b", "openai-compatible:scripted-c"];
    const runId = await submitRun({ models: { coder: coderModels }, coderAttempts: 3, budgetUsd: 5 });
    expect(await finishedRunSpec(runId)).toMatchObject({ status: "completed", output: { runId, status: "succeeded" } });

    // Each attempt's coder ran on its own model: write, write, finish.
    const coderRequests = world.llm.requests.filter((request) => roleOf(request) === "coder");
    expect(coderRequests.map((request) => request.json.model).sort()).toEqual(["scripted-a", "scripted-a", "scripted-a", "scripted-b", "scripted-b", "scripted-b", "scripted-c", "scripted-c", "scripted-c"]);
    const task = await db.task.findFirstOrThrow({ where: { runId }, include: { pullRequest: true } });
    const coders = await db.agentSession.findMany({ where: { taskId: task.id, role: "coder" }, orderBy: { attempt: "asc" } });
    expect(coders.map((session) => [session.attempt, session.model, session.branch])).toEqual([
      [1, "openai-compatible:scripted-a", `${task.branch}-attempt-1`],
      [2, "openai-compatible:scripted-b", `${task.branch}-attempt-2`],
      [3, "openai-compatible:scripted-c", `${task.branch}-attempt-3`],
    ]);

    // The tester worked once, on the attempt leading on tests (2); its test was laid over 1 and 3.
    const testerSessions = await db.agentSession.findMany({ where: { taskId: task.id, role: "tester" } });
    expect(testerSessions.map((session) => session.branch)).toEqual([`${task.branch}-attempt-2`]);
    const attemptTests = (await taskEvents(runId, "task.tests")).map((event) => event.payload as { attempt?: number; passed: number; failed: number });
    expect(attemptTests.filter((tests) => tests.attempt !== undefined)).toEqual(expect.arrayContaining([
      expect.objectContaining({ attempt: 1, passed: 1, failed: 2 }),
      expect.objectContaining({ attempt: 2, passed: 3, failed: 0 }),
      expect.objectContaining({ attempt: 3, passed: 1, failed: 2 }),
    ]));
    // Only attempt 2 passed, so no reviewer was needed to choose.
    expect(await db.agentSession.count({ where: { taskId: task.id, role: "reviewer", attempt: { not: null } } })).toBe(0);

    // Attempt 2's work is the PR: the reviewer of iteration 1 saw its farewell.js and the tester's test.
    const [review] = sessionStarts(world.llm.requests, "reviewer");
    const reviewed = taskMessageOf(review);
    expect(reviewed).toContain("+export const farewell = (name) => `Goodbye, ${name}!`;");
    expect(reviewed).toContain("says goodbye to Bob");
    expect(reviewed).not.toContain("`Bye, ");
    expect(reviewed).not.toContain("`Goodbye, ${name}`;");
    expect(reviewed).toContain("Tests: passed. 3 passed, 0 failed.");
    const pull = world.github.state.pulls.find((candidate) => candidate.number === task.pullRequest!.number)!;
    expect(pull.head).toBe(task.branch);
    expect(world.github.state.pulls).toHaveLength(1);
    expect(await world.github.branchSha("acme", world.repository.name, task.branch!)).toBe((await db.taskIteration.findFirstOrThrow({ where: { taskId: task.id } })).headSha);
    // The attempt branches are gone from GitHub: only main and the task's branch remain.
    expect(await world.github.branches("acme", world.repository.name)).toEqual([task.branch, "main"]);
    // So are the task's clones (sessions', its checkout, each attempt's checkout and base).
    const sessionIds = new Set((await db.agentSession.findMany({ where: { taskId: task.id }, select: { id: true } })).map((session) => session.id));
    expect(listWorkspaces().filter((name) => name.includes(task.id) || sessionIds.has(name))).toEqual([]);

    // Costs: 3 calls of 1000 prompt + 100 completion tokens per attempt, at each model's price.
    const [attempts] = await taskEvents(runId, "task.attempts");
    expect(attempts.payload).toMatchObject({
      taskKey: "farewell", requested: 3, ran: 3, winner: 2, totalCostUsd: "0.021600",
      attempts: [
        { attempt: 1, model: "openai-compatible:scripted-a", costUsd: "0.003600", testResult: "failed", newFailures: 2, outcome: "lost" },
        { attempt: 2, model: "openai-compatible:scripted-b", costUsd: "0.007200", testResult: "passed", newFailures: 0, failToPass: "proven", outcome: "won" },
        { attempt: 3, model: "openai-compatible:scripted-c", costUsd: "0.010800", testResult: "failed", newFailures: 2, outcome: "lost" },
      ],
    });
    const coderCalls = await db.llmCall.aggregate({ where: { runId, session: { role: "coder" } }, _sum: { costUsd: true } });
    expect(coderCalls._sum.costUsd!.toFixed(6)).toBe("0.021600");
    const detail = await getRunDetailOrThrow(runId);
    expect(detail.coderAttempts).toBe(3);
    expect(detail.modelLadders).toEqual({ coder: coderModels });
    expect(detail.tasks[0].attempts.map((attempt) => [attempt.attempt, attempt.costUsd, attempt.outcome])).toEqual([[1, 0.0036, "lost"], [2, 0.0072, "won"], [3, 0.0108, "lost"]]);
    // Every attempt's spend is in the task's and the run's totals.
    const sessions = await db.agentSession.aggregate({ where: { taskId: task.id }, _sum: { costUsd: true } });
    expect(detail.tasks[0].costUsd).toBeCloseTo(sessions._sum.costUsd!.toNumber(), 10);
    expect(detail.tasks[0].iterations[0]).toMatchObject({ iteration: 1, testOutcome: "passed", failToPass: "proven", reviewVerdict: "approve" });
    const report = slack.delivered().find((body) => JSON.stringify(body).includes(runId)) as { blocks: unknown[] };
    expect(JSON.stringify(report.blocks)).toContain("attempt 2 of 3 won");
  }, 300_000);

  it("runs only the 2 of 4 attempts the budget covers and says why; tied attempts go to the reviewer", async () => {
    const coder: RoleScript = (request, turn) => ({ ...writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}!`;\n" }, "Added farewell")(request, turn), usage: coderUsage });
    world = await startFactoryWorld({
      files: greeterRepo,
      testCommand: "node --test",
      roles: { planner: plannerSubmits([farewellTask]), coder, tester: (_request) => ({ toolCalls: [{ name: "finish", args: { summary: "The existing tests will do." } }] }), reviewer: reviewerFollowsTests() },
    });
    // Everything but the coder is free, so the budget is the coder attempts' alone.
    const pricey = "openai-compatible:scripted-pricey";
    useScriptedModel(world.llm.baseUrl, { [pricey]: { input: 1, output: 2, cacheRead: 1, cacheWrite: 1 }, "openai-compatible:scripted-free": { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } });
    const free = "openai-compatible:scripted-free";
    const estimate = await estimateAttemptUsd(pricey);
    const budgetUsd = estimate.mul(2.5).toDecimalPlaces(6).toNumber();
    const runId = await submitRun({ models: { planner: free, coder: pricey, tester: free, reviewer: free, fixer: free }, coderAttempts: 4, budgetUsd });
    expect(await finishedRunSpec(runId)).toMatchObject({ status: "completed", output: { status: "succeeded" } });

    const [limited] = await taskEvents(runId, "task.attempts.limited");
    expect(limited.payload).toMatchObject({ taskKey: "farewell", requested: 4, running: 2, remainingUsd: budgetUsd.toFixed(6), estimatePerAttemptUsd: estimate.toFixed(6) });
    expect((limited.payload as { message: string }).message).toContain("2 of 4 coder attempts run: the remaining budget");
    const task = await db.task.findFirstOrThrow({ where: { runId } });
    const coders = await db.agentSession.findMany({ where: { taskId: task.id, role: "coder" }, orderBy: { attempt: "asc" } });
    expect(coders.map((session) => session.attempt)).toEqual([1, 2]);
    expect(world.llm.requests.filter((request) => roleOf(request) === "coder")).toHaveLength(4);

    // Both passed the same tests with the same diff: a reviewer judged each, then the lower number won.
    const judges = await db.agentSession.findMany({ where: { taskId: task.id, role: "reviewer", attempt: { not: null } }, orderBy: { attempt: "asc" } });
    expect(judges.map((session) => [session.attempt, session.model, session.stopReason])).toEqual([[1, free, "submitted"], [2, free, "submitted"]]);
    const [attempts] = await taskEvents(runId, "task.attempts");
    expect(attempts.payload).toMatchObject({
      requested: 4, ran: 2, winner: 1, totalCostUsd: "0.004800",
      attempts: [
        { attempt: 1, costUsd: "0.002400", verdict: "approve", outcome: "won" },
        { attempt: 2, costUsd: "0.002400", verdict: "approve", outcome: "lost" },
      ],
    });
    expect(await world.github.branches("acme", world.repository.name)).toEqual([task.branch, "main"]);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.spentUsd.toFixed(6)).toBe("0.004800");
    expect(run.spentUsd.lte(run.budgetUsd)).toBe(true);
    expect(describeRunEvent({ type: limited.type, payload: limited.payload })).toMatch(/^\[farewell\] 2 of 4 coder attempts run: \$\d+\.\d\d left covers 2 at ~\$\d+\.\d\d each$/);
  }, 300_000);

  it("cleans up after a run cancelled while its attempts are judged: attempt branches and clones go, the task's branch stays", async () => {
    let markJudging!: () => void;
    const isJudging = new Promise<void>((resolve) => (markJudging = resolve));
    let releaseJudge!: () => void;
    const judgeReleased = new Promise<void>((resolve) => (releaseJudge = resolve));
    const approve = reviewerFollowsTests();
    const coder: RoleScript = writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}!`;\n" }, "Added farewell");
    world = await startFactoryWorld({
      files: greeterRepo,
      testCommand: "node --test",
      roles: {
        planner: plannerSubmits([farewellTask]),
        coder,
        tester: () => ({ toolCalls: [{ name: "finish", args: { summary: "The existing tests will do." } }] }),
        // Tied attempts go to a reviewer each; the first one holds until the run is cancelled.
        reviewer: async (request, turn) => {
          markJudging();
          await judgeReleased;
          return approve(request, turn);
        },
      },
    });
    const runId = await submitRun({ models: {}, coderAttempts: 2, budgetUsd: 5 });
    await isJudging;
    const task = await db.task.findFirstOrThrow({ where: { runId } });
    expect(await world.github.branches("acme", world.repository.name)).toEqual(expect.arrayContaining([`${task.branch}-attempt-1`, `${task.branch}-attempt-2`]));

    const cancelled = await cancelRoute.POST(
      new Request(`http://localhost:3000/api/runs/${runId}/cancel`, { method: "POST", headers: { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` } }),
      { params: Promise.resolve({ id: runId }) },
    );
    expect(cancelled.status).toBe(200);
    releaseJudge();
    const cleanup = await harness.waitForRun({ functionId: "clean-up-cancelled-run", where: (run) => run.event.data.runId === runId, timeoutMs: 60_000 });
    expect(cleanup).toMatchObject({ status: "completed", output: { runId, deletedBranches: [`${task.branch}-attempt-1`, `${task.branch}-attempt-2`] } });

    // Only the task's own branch is left next to main: the work so far, for a human to look at.
    const branches = await world.github.branches("acme", world.repository.name);
    expect(branches.filter((branch) => branch.includes("-attempt-"))).toEqual([]);
    expect(branches).toContain("main");
    const sessionIds = new Set((await db.agentSession.findMany({ where: { taskId: task.id }, select: { id: true } })).map((session) => session.id));
    expect(listWorkspaces().filter((name) => name.includes(task.id) || sessionIds.has(name))).toEqual([]);
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "cancelled" });
  }, 300_000);
});
