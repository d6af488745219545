// The loop on real feedback, end to end through the in-process Inngest harness (run-spec ->
// run-task), the local GitHub, the scripted model and the real sandbox. Each test asserts what
// the model was told, from the request bodies the scripted server received.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getRunDetailOrThrow } from "@/lib/runs/read-runs";
import {
  farewellTask, farewellTest, greeterRepo, lastToolResults, plannerSubmits, requestRun, reviewerFollowsTests, roleOf, sessionStarts, startFactoryWorld, startFlowEngine,
  taskMessageOf, testerAddsNothing, turnOf, writes, type FactoryWorld, type RoleScript,
} from "./factory-flow-fixtures";

const { harness, finishedRunSpec } = await startFlowEngine({ runTimeoutMs: 240_000 });

let world: FactoryWorld | undefined;
afterEach(async () => world?.close());

/** The greeter with a lockfile, so detection picks `npm ci` as its setup. */
const greeterWithLockfile = {
  ...greeterRepo,
  "package-lock.json": JSON.stringify({ name: "greeter", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "greeter", version: "1.0.0" } } }, null, 2),
};

describe("the feedback loop", () => {
  it("detects `npm test` on a fresh repository, feeds the failing test's name and message to the fixer, and goes green on iteration 2", async () => {
    world = await startFactoryWorld({
      files: greeterWithLockfile,
      roles: {
        planner: plannerSubmits([farewellTask]),
        coder: writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}`;\n", "test/farewell.test.js": farewellTest }, "Added farewell"),
        tester: testerAddsNothing,
        reviewer: reviewerFollowsTests(),
        fixer: writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}!`;\n" }, "Added the missing bang"),
      },
    });
    const runId = await requestRun(world, harness.send, { maxIterations: 3 });
    expect(await finishedRunSpec(runId)).toMatchObject({ status: "completed", output: { runId, status: "succeeded" } });

    const repository = await db.repository.findUniqueOrThrow({ where: { id: world.repository.id } });
    expect(repository).toMatchObject({ testCommand: "npm test", setupCommand: "npm ci", profileSource: "detected" });
    expect(repository.detectionReport).toContain("package.json");

    // The fixer was told which test failed, where, and why: structured, before the raw output.
    const [fixerStart] = sessionStarts(world.llm.requests, "fixer");
    const fixerTask = taskMessageOf(fixerStart);
    expect(fixerTask).toContain("Tests: FAILED. 1 passed, 1 failed.");
    expect(fixerTask).toContain("1. says goodbye with a bang (test/farewell.test.js:5)");
    expect(fixerTask).toContain("Expected values to be strictly equal:\n   + actual - expected");
    expect(fixerTask).toContain("- 'Goodbye, Ada!'");
    expect(fixerTask.indexOf("says goodbye with a bang")).toBeLessThan(fixerTask.indexOf("Output (tail):"));
    const reviewerTasks = sessionStarts(world.llm.requests, "reviewer").map(taskMessageOf);
    expect(reviewerTasks[0]).toContain("1. says goodbye with a bang (test/farewell.test.js:5)");
    expect(reviewerTasks[1]).toContain("Tests: passed. 2 passed, 0 failed.");

    const detail = await getRunDetailOrThrow(runId);
    expect(detail.tasks[0]).toMatchObject({ status: "succeeded", iteration: 2 });
    expect(detail.tasks[0].iterations).toEqual([
      expect.objectContaining({
        iteration: 1, testOutcome: "failed", testsPassed: 1, testsFailed: 1, preexistingFailures: 0, reviewVerdict: "request_changes", ciConclusion: null,
        failingTests: [expect.objectContaining({ name: "says goodbye with a bang", location: "test/farewell.test.js:5", isNew: true })],
        costByRole: expect.objectContaining({ coder: expect.any(Number), tester: expect.any(Number), reviewer: expect.any(Number), fixer: expect.any(Number) }),
      }),
      expect.objectContaining({ iteration: 2, testOutcome: "passed", testsPassed: 2, testsFailed: 0, failingTests: [], reviewVerdict: "approve", reviewFindings: 0 }),
    ]);
    const status = world.github.state.issueComments.find((comment) => comment.body?.includes("dark-factory:status"));
    expect(status?.body).toContain("CI: none configured");
  }, 240_000);

  it("proves the tester's tests fail on the base and pass on the branch, and sends a test that passes on the base back to the tester", async () => {
    let testerSessions = 0;
    const tester: RoleScript = (_request, turn) => {
      if (turn === 1) testerSessions += 1;
      if (testerSessions === 1) {
        return writes({ "test/farewell.test.js": farewellTest, "test/greet-more.test.js": "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from '../greet.js';\ntest('greets Bob', () => assert.equal(greet('Bob'), 'Hi Bob'));\n" }, "Tests for farewell")(_request, turn);
      }
      return turn === 1 ? { toolCalls: [{ name: "run_command", args: { command: "rm test/greet-more.test.js" } }] } : { toolCalls: [{ name: "finish", args: { summary: "Removed the test that did not test the change" } }] };
    };
    world = await startFactoryWorld({
      files: greeterWithLockfile,
      testCommand: "node --test",
      roles: {
        planner: plannerSubmits([farewellTask]),
        coder: writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}!`;\n" }, "Added farewell"),
        tester,
        reviewer: reviewerFollowsTests(),
      },
    });
    const runId = await requestRun(world, harness.send, { maxIterations: 2 });
    expect(await finishedRunSpec(runId)).toMatchObject({ status: "completed", output: { status: "succeeded" } });

    const testerStarts = sessionStarts(world.llm.requests, "tester");
    expect(testerStarts).toHaveLength(2);
    expect(taskMessageOf(testerStarts[0])).not.toContain("do not test the change");
    const retry = taskMessageOf(testerStarts[1]);
    expect(retry).toContain("These tests do not test the change: they pass on the base commit");
    expect(retry).toContain("- greets Bob");
    expect(retry).not.toContain("- says goodbye with a bang");

    const [iteration] = await db.taskIteration.findMany({ where: { runId } });
    expect(iteration).toMatchObject({ iteration: 1, testOutcome: "passed", failToPass: "proven", testsPassed: 2 });
    const baseline = await db.testBaseline.findMany({ where: { repositoryId: world.repository.id } });
    expect(baseline).toEqual([expect.objectContaining({ outcome: "passed", passed: 1, failed: 0 })]);
    const status = world.github.state.issueComments.find((comment) => comment.body?.includes("dark-factory:status"));
    expect(status?.body).toContain("Fail-to-pass: proven");
  }, 240_000);

  it("returns a cyclic plan to the planner as a tool error; the fixed plan runs, the dependent task starting from its dependency's work", async () => {
    const api = { key: "api", title: "API", description: "Write api.txt", acceptanceCriteria: ["api.txt exists"], dependsOn: ["ui"] };
    const ui = { key: "ui", title: "UI", description: "Write ui.txt using api.txt", acceptanceCriteria: ["ui.txt exists"], dependsOn: ["api"] };
    const planner: RoleScript = (_request, turn) =>
      turn === 1
        ? { toolCalls: [{ name: "submit_plan", args: { tasks: [api, ui] } }] }
        : { toolCalls: [{ name: "submit_plan", args: { tasks: [{ ...api, dependsOn: [] }, ui] } }] };
    const coder: RoleScript = (request, turn) => {
      const isUi = taskMessageOf(request).includes("# UI");
      if (!isUi) return writes({ "api.txt": "GET /greeting -> hello\n" }, "Wrote the API")(request, turn);
      if (turn === 1) return { toolCalls: [{ name: "read_file", args: { path: "api.txt" } }] };
      return writes({ "ui.txt": "shows the greeting\n" }, "Wrote the UI")(request, turn - 1);
    };
    world = await startFactoryWorld({ testCommand: null, roles: { planner, coder, reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Fine.", comments: [] } }] }) } });
    const runId = await requestRun(world, harness.send, { maxIterations: 1 });
    expect(await finishedRunSpec(runId)).toMatchObject({ status: "completed", output: { status: "succeeded" } });

    // The planner's second call carries the tool error naming the cycle.
    const plannerRetry = world.llm.requests.find((request) => roleOf(request) === "planner" && turnOf(request) === 2)!;
    expect(lastToolResults(plannerRetry).map((result) => result.content).join("\n")).toContain("the dependencies form a cycle: api -> ui -> api");

    const tasks = await db.task.findMany({ where: { runId }, include: { pullRequest: true }, orderBy: { createdAt: "asc" } });
    expect(tasks.map((task) => [task.key, task.status])).toEqual([["api", "succeeded"], ["ui", "succeeded"]]);
    const [apiTask, uiTask] = tasks;
    expect(uiTask.baseBranch).toBe(apiTask.branch);

    // The dependent task's coder read its dependency's file in its own workspace.
    const uiReads = world.llm.requests.filter((request) => roleOf(request) === "coder" && taskMessageOf(request).includes("# UI") && turnOf(request) === 2);
    expect(lastToolResults(uiReads[0]).map((result) => result.content).join("\n")).toContain("GET /greeting -> hello");

    const uiPull = world.github.state.pulls.find((pull) => pull.number === uiTask.pullRequest!.number)!;
    expect(uiPull.base).toBe(apiTask.branch);
    expect(uiPull.body).toContain(`#${apiTask.pullRequest!.number}`);
    expect(uiPull.body).toContain("stacked on it");
  }, 240_000);
});
