// One spec, one task, end to end on the real Inngest Dev Server: POST /api/runs → planner →
// coder → PR → sandboxed tests → review → ready PR → Slack report.
import { afterEach, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import { findCanaries } from "@/test/secret-canaries";
import { startEngineWorld, type EngineRoleScript, type EngineWorld } from "./engine-world";

const roles: Record<string, EngineRoleScript> = {
  planner: () => ({
    toolCalls: [{ name: "submit_plan", args: { tasks: [{ key: "greeting", title: "Greeting file", description: "Add hello.txt with hello", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] }] } }],
  }),
  coder: (_request, turn) =>
    turn === 1 ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] } : { toolCalls: [{ name: "finish", args: { summary: "Added hello.txt" } }] },
  reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Correct and minimal.", comments: [] } }] }),
};

let world: EngineWorld | undefined;
afterEach(async () => world?.close());

describe.skipIf(!inject("inngestBinary"))("real engine: a single task", () => {
  it("turns a spec into a ready, reviewed PR and a Slack report on inngest dev", async () => {
    world = await startEngineWorld({ postgresServerUrl: inject("databaseUrl"), kind: "dev", roles, testCommand: "grep -qx hello hello.txt" });
    // The operator's health view: the engine is reachable and has this app registered.
    expect((await world.api("/api/health")).body).toMatchObject({ ok: true, engine: { mode: "dev", reachable: true, registered: true } });
    expect(await (await fetch(`${world.app.url}/api/health`)).json()).toEqual({ ok: true, database: true, engine: { reachable: true, registered: true } });
    const runId = await world.createRun();
    const run = await world.waitForRunEnd(runId);
    expect(run.status, world.logs()).toBe("succeeded");

    const stored = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: { include: { pullRequest: true } }, notifications: true } });
    expect(stored.tasks.map((task) => [task.key, task.status])).toEqual([["greeting", "succeeded"]]);
    const iterations = await db.taskIteration.findMany({ where: { taskId: stored.tasks[0].id } });
    expect(iterations.map((iteration) => [iteration.testOutcome, iteration.reviewVerdict])).toEqual([["passed", "approve"]]);
    expect(world.github.state.pulls.map((pull) => pull.isDraft)).toEqual([false]);
    expect(stored.reservedUsd.toNumber()).toBe(0);
    expect(stored.spentUsd.toNumber()).toBeGreaterThan(0);
    // notify-run-finished ran on the engine after run-spec sent factory/run.finished.
    await world.waitForSlack((bodies) => bodies.some((body) => JSON.stringify(body).includes(`/runs/${runId}`)));
    expect(findCanaries(JSON.stringify(world.slack.delivered()) + world.llm.requests.map((r) => r.body).join("\n"))).toEqual([]);
  });
});
