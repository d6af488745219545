// Model escalation end to end: a fixer ladder (cheap model, then a strong one) with escalateAfter
// 2. The scripted fixer only gets it right on the strong model; the requests the scripted server
// received show exactly when the role moved up, and the run detail and Slack report what it cost.
import { afterEach, describe, expect, it } from "vitest";
import { describeRunEvent } from "@/lib/client/run-events";
import { db } from "@/lib/db";
import { getRunDetailOrThrow } from "@/lib/runs/read-runs";
import { scriptedModel, useScriptedModel } from "@/test/agent-fixtures";
import {
  farewellTask, farewellTest, greeterRepo, plannerSubmits, requestRun, reviewerFollowsTests, roleOf, sessionStarts, startFactoryWorld, startFlowEngine, writes,
  type FactoryWorld, type RoleScript,
} from "./factory-flow-fixtures";

const { harness, slack, finishedRunSpec } = await startFlowEngine({ runTimeoutMs: 240_000 });

let world: FactoryWorld | undefined;
afterEach(async () => world?.close());

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
        reviewer: reviewerFollowsTests(),
        fixer,
      },
    });
    useScriptedModel(world.llm.baseUrl, { [strongModel]: { input: 10, output: 20, cacheRead: 10, cacheWrite: 10 } });
    const runId = await requestRun(world, harness.send, { title: "Say goodbye", spec: "Add farewell.", budgetUsd: 5, maxIterations: 3, escalateAfter: 2, models: { fixer: [scriptedModel, strongModel] } });
    expect(await finishedRunSpec(runId)).toMatchObject({ status: "completed", output: { status: "succeeded" } });

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
