// run-task end to end against the local GitHub and the scripted model, started the way runs
// start (createRun, run-spec, a planner) in the in-process Inngest harness: coder, push, draft
// PR, real tests in the sandbox, review, fixer, and convergence to a ready PR.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { findCanaries } from "@/test/secret-canaries";
import {
  greetingTask, plannerSubmits, requestRun, reviewerWantsExactHello, sessionStarts, startFactoryWorld, startFlowEngine, taskMessageOf, testerAddsNothing, writes,
  type FactoryWorld, type RoleScript,
} from "./factory-flow-fixtures";

const { harness, finishedRunSpec } = await startFlowEngine({ runTimeoutMs: 180_000 });

const testCommand = "grep -qx hello hello.txt";
let world: FactoryWorld | undefined;
afterEach(async () => world?.close());

const coderWrites = (content: string) => writes({ "hello.txt": content }, `wrote hello.txt (${content.trim()})`);
const planner = plannerSubmits([greetingTask]);

/** Runs the spec; resolves with run-task's output and the task, once the run and its report ended. */
async function execute(options: { maxIterations: number }) {
  const runId = await requestRun(world!, harness.send, { maxIterations: options.maxIterations, budgetUsd: 5 });
  await finishedRunSpec(runId, 180_000);
  const runTask = harness.runs.find((run) => run.functionId === "run-task" && run.event.data.runId === runId)!;
  const task = await db.task.findFirstOrThrow({ where: { runId } });
  return { run: { id: runId }, task, result: runTask.output, error: runTask.error };
}

describe("run-task", () => {
  it("takes a task to a ready PR when the tests pass and the review approves", async () => {
    world = await startFactoryWorld({ testCommand, roles: { planner, coder: coderWrites("hello\n"), tester: testerAddsNothing, reviewer: reviewerWantsExactHello } });
    const { run, task, result, error } = await execute({ maxIterations: 2 });
    expect(error).toBeUndefined();
    expect(result).toEqual({ taskId: task.id, status: "succeeded" });

    const stored = await db.task.findUniqueOrThrow({ where: { id: task.id }, include: { pullRequest: { include: { reviews: true } } } });
    expect(stored.status).toBe("succeeded");
    expect(stored.iteration).toBe(1);
    expect(stored.costUsd.toNumber()).toBeGreaterThan(0);
    expect(stored.pullRequest?.state).toBe("open");
    expect(stored.pullRequest?.reviews.map((r) => r.verdict)).toEqual(["approve"]);

    const pulls = world.github.state.pulls;
    expect(pulls).toHaveLength(1);
    expect(pulls[0].isDraft).toBe(false);
    expect(pulls[0].head).toBe(stored.branch);
    expect(await world.github.branchSha("acme", world.repository.name, stored.branch!)).toBeTruthy();
    expect(world.github.state.issueComments.filter((c) => c.body?.includes("dark-factory:status"))).toHaveLength(1);

    const run2 = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { events: true, llmCalls: true } });
    expect(run2.spentUsd.toNumber()).toBeCloseTo(run2.llmCalls.reduce((sum, call) => sum + call.costUsd.toNumber(), 0), 8);
    expect(run2.events.map((e) => e.type)).toEqual(expect.arrayContaining(["task.started", "pull_request.opened", "task.tests", "review.posted", "pull_request.ready", "task.succeeded"]));
    expect(findCanaries(world.llm.requests.map((r) => r.body).join("\n"))).toEqual([]);
  }, 180_000);

  it("feeds failing tests and review comments to a fixer and converges on the next iteration", async () => {
    const fixerWrites = writes({ "hello.txt": "hello\n" }, "fixed the spelling");
    world = await startFactoryWorld({ testCommand, roles: { planner, coder: coderWrites("helo\n"), tester: testerAddsNothing, reviewer: reviewerWantsExactHello, fixer: fixerWrites } });
    const { run, task, result } = await execute({ maxIterations: 3 });
    expect(result).toEqual({ taskId: task.id, status: "succeeded" });
    const stored = await db.task.findUniqueOrThrow({ where: { id: task.id }, include: { pullRequest: { include: { reviews: { orderBy: { createdAt: "asc" } } } } } });
    expect(stored.iteration).toBe(2);
    expect(stored.pullRequest?.reviews.map((r) => r.verdict)).toEqual(["request_changes", "approve"]);
    const tests = await db.runEvent.findMany({ where: { runId: run.id, type: "task.tests" }, orderBy: { seq: "asc" } });
    expect(tests.map((e) => (e.payload as { testResult: string }).testResult)).toEqual(["failed", "passed"]);

    // The fixer saw the real failing output and the reviewer's comment as data.
    const fixerTask = taskMessageOf(sessionStarts(world.llm.requests, "fixer")[0]);
    expect(fixerTask).toContain("Tests: FAILED. (no per-test results: judged by the exit code)");
    expect(fixerTask).toContain("$ grep -qx hello hello.txt");
    expect(fixerTask).toContain("Spelled wrong.");
    expect(world.github.state.issueComments.filter((c) => c.body?.includes("dark-factory:status"))).toHaveLength(1);
  }, 180_000);

  it("stops at the iteration limit with the reason, leaving the PR in draft", async () => {
    const fixerGivesUp: RoleScript = () => ({ toolCalls: [{ name: "finish", args: { summary: "no idea" } }] });
    world = await startFactoryWorld({ testCommand, roles: { planner, coder: coderWrites("helo\n"), tester: testerAddsNothing, reviewer: reviewerWantsExactHello, fixer: fixerGivesUp } });
    const { run, result } = await execute({ maxIterations: 2 });
    expect(result).toMatchObject({ status: "failed", reason: expect.stringContaining("after 2 iteration(s)") });
    expect(world.github.state.pulls[0].isDraft).toBe(true);
    // The run ends the way runs end: failed, naming the task, with nothing left running or leased.
    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { sessions: true } });
    expect(stored.status).toBe("failed");
    expect(stored.error).toContain("greeting: Not green and approved after 2 iteration(s)");
    expect(stored.sessions.filter((session) => session.status === "running")).toEqual([]);
    expect(await db.branchLease.count()).toBe(0);
  }, 180_000);
});
