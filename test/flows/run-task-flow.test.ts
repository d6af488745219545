// run-task end to end against the local GitHub and the scripted model: coder, push, draft
// PR, real tests in the sandbox, review, fixer, and convergence to a ready PR.
import { InngestTestEngine } from "@inngest/test";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { runTask } from "../../workflows/functions/run-task";
import { findCanaries } from "../secret-canaries";
import { startFactoryWorld, type RoleScript } from "./factory-flow-fixtures";

const testCommand = "grep -qx hello hello.txt";
let world: Awaited<ReturnType<typeof startFactoryWorld>> | undefined;
afterEach(async () => world?.close());

const coderWrites = (content: string): RoleScript => (_request, turn) =>
  turn === 1
    ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content } }] }
    : { toolCalls: [{ name: "finish", args: { summary: `wrote hello.txt (${content.trim()})` } }] };

/** Approves when the test output it was given says passed, otherwise asks for a fix. */
const reviewerFollowsTests: RoleScript = (request) => {
  const task = JSON.stringify(request.json.messages[1]?.content ?? "");
  const hasPassed = /passed/.test(task) && !/failed/.test(task);
  return {
    toolCalls: [
      {
        name: "submit_review",
        args: hasPassed
          ? { verdict: "approve", summary: "Looks right.", comments: [] }
          : { verdict: "request_changes", summary: "hello.txt must contain exactly hello.", comments: [{ path: "hello.txt", line: 1, body: "Spelled wrong." }] },
      },
    ],
  };
};

async function createTask(runId: string) {
  return db.task.create({
    data: { runId, key: "greeting", title: "Greeting file", description: "Create hello.txt", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] },
  });
}

function execute(runId: string, taskId: string) {
  return new InngestTestEngine({ function: runTask }).execute({ events: [{ name: "inngest/function.invoked", data: { runId, taskId } }] });
}

describe("run-task", () => {
  it("takes a task to a ready PR when the tests pass and the review approves", async () => {
    world = await startFactoryWorld({ testCommand, roles: { coder: coderWrites("hello\n"), reviewer: reviewerFollowsTests } });
    const run = await world.createRun();
    const task = await createTask(run.id);

    const { result, error } = await execute(run.id, task.id);
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
  });

  it("feeds failing tests and review comments to a fixer and converges on the next iteration", async () => {
    const fixerWrites: RoleScript = (_request, turn) =>
      turn === 1
        ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] }
        : { toolCalls: [{ name: "finish", args: { summary: "fixed the spelling" } }] };
    world = await startFactoryWorld({ testCommand, roles: { coder: coderWrites("helo\n"), reviewer: reviewerFollowsTests, fixer: fixerWrites } });
    const run = await world.createRun({ maxIterations: 3 });
    const task = await createTask(run.id);

    const { result } = await execute(run.id, task.id);
    expect(result).toEqual({ taskId: task.id, status: "succeeded" });
    const stored = await db.task.findUniqueOrThrow({ where: { id: task.id }, include: { pullRequest: { include: { reviews: { orderBy: { createdAt: "asc" } } } } } });
    expect(stored.iteration).toBe(2);
    expect(stored.pullRequest?.reviews.map((r) => r.verdict)).toEqual(["request_changes", "approve"]);
    const tests = await db.runEvent.findMany({ where: { runId: run.id, type: "task.tests" }, orderBy: { seq: "asc" } });
    expect(tests.map((e) => (e.payload as { testResult: string }).testResult)).toEqual(["failed", "passed"]);

    // The fixer saw the real failing output and the reviewer's comment as data.
    const fixerRequest = world.llm.requests.find((r) => JSON.stringify(r.json.messages[0]?.content ?? "").includes("you fix it"))!;
    const fixerTask = JSON.stringify(fixerRequest.json.messages[1]?.content);
    expect(fixerTask).toContain("failed");
    expect(fixerTask).toContain("Spelled wrong.");
    expect(world.github.state.issueComments.filter((c) => c.body?.includes("dark-factory:status"))).toHaveLength(1);
  });

  it("stops at the iteration limit with the reason, leaving the PR in draft", async () => {
    const fixerGivesUp: RoleScript = () => ({ toolCalls: [{ name: "finish", args: { summary: "no idea" } }] });
    world = await startFactoryWorld({ testCommand, roles: { coder: coderWrites("helo\n"), reviewer: reviewerFollowsTests, fixer: fixerGivesUp } });
    const run = await world.createRun({ maxIterations: 2 });
    const task = await createTask(run.id);
    const { result } = await execute(run.id, task.id);
    expect(result).toMatchObject({ status: "failed", reason: expect.stringContaining("after 2 iteration(s)") });
    expect(world.github.state.pulls[0].isDraft).toBe(true);
  });
});
