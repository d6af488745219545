// Model escalation end to end: a fixer ladder (cheap model, then a strong one) with escalateAfter
// 2. The scripted fixer only gets it right on the strong model; the requests the scripted server
// received show exactly when the role moved up, and the run detail and Slack report what it cost.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { describeRunEvent } from "../../lib/client/describe-run-event";
import { db } from "../../lib/db";
import { resetEnvCache } from "../../lib/env";
import { createRun } from "../../lib/runs/create-run";
import { getRunDetailOrThrow } from "../../lib/runs/get-run-or-throw";
import { scriptedModel, useScriptedModel } from "../agent-fixtures";
import { startFakeSlack } from "../fake-slack";
import { createInngestHarness } from "../inngest-harness";
import { plannerSubmits, roleOf, sessionStarts, startFactoryWorld, taskMessageOf, type RoleScript } from "./factory-flow-fixtures";

const harness = await createInngestHarness({ maxAttempts: 2, runTimeoutMs: 240_000 });
process.env.INNGEST_DEV = harness.eventApiUrl; // before lib/inngest.ts is loaded
const { functions } = await import("../../workflows");
harness.register(...functions);
const slack = await startFakeSlack();
process.env.SLACK_WEBHOOK_URL = slack.webhookUrl;
resetEnvCache();

let world: Awaited<ReturnType<typeof startFactoryWorld>> | undefined;
afterEach(async () => world?.close());
afterAll(async () => {
  await harness.close();
  await slack.close();
});

const greeterRepo = {
  "package.json": JSON.stringify({ name: "greeter", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2),
  "greet.js": "export const greet = (name) => `Hi ${name}`;\n",
  "test/greet.test.js": "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from '../greet.js';\ntest('greets by name', () => assert.equal(greet('Ada'), 'Hi Ada'));\n",
};
const farewellTask = { key: "farewell", title: "Farewell", description: "Add farewell(name) in farewell.js returning `Goodbye, <name>!`", acceptanceCriteria: ["farewell('Ada') returns 'Goodbye, Ada!'"], dependsOn: [] };
const farewellTest = "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { farewell } from '../farewell.js';\n\ntest('says goodbye with a bang', () => assert.equal(farewell('Ada'), 'Goodbye, Ada!'));\n";

const writes = (files: Record<string, string>, summary: string): RoleScript => (_request, turn) => {
  const entries = Object.entries(files);
  return turn <= entries.length
    ? { toolCalls: [{ name: "write_file", args: { path: entries[turn - 1][0], content: entries[turn - 1][1] } }] }
    : { toolCalls: [{ name: "finish", args: { summary } }] };
};

const reviewerFollowsTests: RoleScript = (request) => ({
  toolCalls: [{
    name: "submit_review",
    args: taskMessageOf(request).includes("Tests: passed")
      ? { verdict: "approve", summary: "Correct, tests pass.", comments: [] }
      : { verdict: "request_changes", summary: "Tests fail.", comments: [] },
  }],
});

const strongModel = "openai-compatible:scripted-strong";

describe("the escalation ladder", () => {
  it("moves the fixer to the next model after 2 iterations without converging, and reports where and at what cost", async () => {
    // The cheap fixer keeps getting the punctuation wrong; the strong one fixes it.
    const fixer: RoleScript = (request, turn) =>
      request.json.model === "scripted-strong"
        ? { ...writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}!`;\n" }, "Fixed")(request, turn), usage: { promptTokens: 2000, completionTokens: 200, cachedTokens: 0 } }
        : writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}.`;\n" }, "Tried a full stop")(request, turn);
    world = await startFactoryWorld({
      files: greeterRepo,
      testCommand: "node --test",
      roles: {
        planner: plannerSubmits([farewellTask]),
        coder: writes({ "farewell.js": "export const farewell = (name) => `Goodbye, ${name}`;\n", "test/farewell.test.js": farewellTest }, "Added farewell"),
        tester: () => ({ toolCalls: [{ name: "finish", args: { summary: "The coder's test covers it." } }] }),
        reviewer: reviewerFollowsTests,
        fixer,
      },
    });
    useScriptedModel(world.llm.baseUrl, { [strongModel]: { input: 10, output: 20, cacheRead: 10, cacheWrite: 10 } });
    const repo = `${world.repository.owner}/${world.repository.name}`;
    const { id: runId } = await createRun({
      input: { repo, title: "Say goodbye", spec: "Add farewell.", budgetUsd: 5, maxIterations: 3, escalateAfter: 2, models: { fixer: [scriptedModel, strongModel] } },
      requestRun: async (id) => void (await harness.send({ name: "factory/run.requested", data: { runId: id, repository: repo } })),
      engineUrl: "harness",
    });
    const run = await harness.waitForRun({ functionId: "run-spec", where: (candidate) => candidate.event.data.runId === runId, timeoutMs: 240_000 });
    expect(run).toMatchObject({ status: "completed", output: { status: "succeeded" } });
    await harness.waitForRun({ functionId: "notify-run-finished", where: (candidate) => candidate.event.data.runId === runId, timeoutMs: 30_000 });

    // Iteration 1's fixer is on the first model; after 2 unconverged iterations the fixer asks the strong one.
    const fixerRequests = world.llm.requests.filter((request) => roleOf(request) === "fixer");
    expect(fixerRequests.map((request) => request.json.model)).toEqual(["scripted-model", "scripted-model", "scripted-strong", "scripted-strong"]);
    const strongStart = sessionStarts(world.llm.requests, "fixer")[1];
    expect(world.llm.requests.filter((request) => request.index < strongStart.index).some((request) => request.json.model === "scripted-strong")).toBe(false);
    // No other role moved: the reviewer has one model.
    expect(new Set(world.llm.requests.filter((request) => roleOf(request) !== "fixer").map((request) => request.json.model))).toEqual(new Set(["scripted-model"]));

    const task = await db.task.findFirstOrThrow({ where: { runId } });
    expect(task).toMatchObject({ status: "succeeded", iteration: 3 });
    const fixers = await db.agentSession.findMany({ where: { taskId: task.id, role: "fixer" }, orderBy: { startedAt: "asc" } });
    expect(fixers.map((session) => [session.iteration, session.model])).toEqual([[1, scriptedModel], [2, strongModel]]);
    const before = await db.agentSession.aggregate({ where: { taskId: task.id, startedAt: { lt: fixers[1].startedAt } }, _sum: { costUsd: true } });

    const events = await db.runEvent.findMany({ where: { runId, type: "model.escalated" } });
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({
      taskKey: "farewell", role: "fixer", from: scriptedModel, to: strongModel, iteration: 2, escalateAfter: 2, iterationsWithoutConverging: 2,
      sessionId: fixers[1].id, taskCostUsd: before._sum.costUsd!.toFixed(6),
    });
    expect(describeRunEvent(events[0])).toBe(`[farewell] fixer escalated ${scriptedModel} → ${strongModel} at iteration 2 after $${before._sum.costUsd!.toFixed(2)}`);

    // The strong fixer: 2 calls of 2000 prompt + 200 completion tokens at $10/$20 per million = $0.048.
    expect(fixers[1].costUsd.toFixed(6)).toBe("0.048000");
    const detail = await getRunDetailOrThrow(runId);
    expect(detail.escalateAfter).toBe(2);
    expect(detail.models.fixer).toBe(scriptedModel);
    expect(detail.modelLadders).toEqual({ fixer: [scriptedModel, strongModel] });
    expect(detail.escalations).toEqual([
      { taskKey: "farewell", role: "fixer", from: scriptedModel, to: strongModel, iteration: 2, taskCostBeforeUsd: Number(before._sum.costUsd!.toFixed(6)), costAfterUsd: 0.048 },
    ]);
    const report = JSON.stringify((slack.delivered().find((body) => JSON.stringify(body).includes(runId)) as { blocks: unknown[] }).blocks);
    expect(report).toContain("*Model escalations*");
    expect(report).toContain(`fixer: ${scriptedModel} → ${strongModel} at iteration 2`);
    expect(report).toContain(`$0.048 on ${strongModel}`);
  }, 300_000);
});
