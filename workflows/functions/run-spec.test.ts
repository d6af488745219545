// run-spec with a real planner session (scripted model, local GitHub) and run-task invocations
// mocked per task; the whole flow through run-task is covered in test/flows.
import { InngestTestEngine } from "@inngest/test";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { plannerSubmits, startFactoryWorld } from "@/test/flows/factory-flow-fixtures";
import { runSpec } from "./run-spec";

let world: Awaited<ReturnType<typeof startFactoryWorld>> | undefined;
afterEach(async () => world?.close());

const plannerPlans = plannerSubmits([
  { key: "api", title: "API", description: "Add the endpoint", acceptanceCriteria: ["GET /health answers 200"], dependsOn: [] },
  { key: "docs", title: "Docs", description: "Document it", acceptanceCriteria: ["README mentions /health"], dependsOn: ["api"] },
]);

function execute(runId: string, repository: string, taskResults: Record<string, "succeeded" | "failed">, invoked: string[], sent: string[]) {
  const invokeMock = (key: string) => ({
    id: `run-task-${key}`,
    handler: async () => {
      invoked.push(key);
      const task = await db.task.findFirstOrThrow({ where: { runId, key } });
      await db.task.update({ where: { id: task.id }, data: { status: taskResults[key] } });
      return { taskId: task.id, status: taskResults[key] };
    },
  });
  return new InngestTestEngine({ function: runSpec }).execute({
    events: [{ name: "factory/run.requested", data: { runId, repository } }],
    steps: [invokeMock("api"), invokeMock("docs"), { id: "send-run-finished", handler: () => void sent.push("run.finished") }],
  });
}

describe("run-spec", () => {
  it("plans the spec into tasks, works them in dependency waves, and ends succeeded", async () => {
    world = await startFactoryWorld({ roles: { planner: plannerPlans } });
    const run = await world.createRun();
    const invoked: string[] = [];
    const sent: string[] = [];
    const { result } = await execute(run.id, `acme/${world.repository.name}`, { api: "succeeded", docs: "succeeded" }, invoked, sent);
    expect(result).toEqual({ runId: run.id, status: "succeeded" });
    expect(invoked).toEqual(["api", "docs"]);
    expect(sent).toEqual(["run.finished"]);
    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { tasks: true, events: { orderBy: { seq: "asc" } } } });
    expect(stored.status).toBe("succeeded");
    expect(stored.summary).toMatch(/^2\/2 tasks succeeded/);
    expect(stored.tasks.map((t) => [t.key, t.dependsOn])).toEqual(expect.arrayContaining([["api", []], ["docs", ["api"]]]));
    const types = stored.events.map((e) => e.type);
    expect(types.indexOf("run.started")).toBeLessThan(types.indexOf("run.planned"));
    expect(types.at(-1)).toBe("run.succeeded");
    expect(stored.spentUsd.toNumber()).toBeGreaterThan(0);
  });

  it("skips later waves when a task fails, and ends failed naming it", async () => {
    world = await startFactoryWorld({ roles: { planner: plannerPlans } });
    const run = await world.createRun();
    const invoked: string[] = [];
    const { result } = await execute(run.id, `acme/${world.repository.name}`, { api: "failed", docs: "succeeded" }, invoked, []);
    expect(result).toEqual({ runId: run.id, status: "failed" });
    expect(invoked).toEqual(["api"]);
    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { tasks: true } });
    expect(stored.tasks.find((t) => t.key === "docs")?.status).toBe("skipped");
    expect(stored.error).toMatch(/api: failed/);
  });

  it("does nothing for a run that is no longer queued (a re-delivered event, or a cancelled run)", async () => {
    world = await startFactoryWorld({ roles: {} });
    const run = await world.createRun();
    await db.run.update({ where: { id: run.id }, data: { status: "cancelled" } });
    const invoked: string[] = [];
    const sent: string[] = [];
    const { result } = await execute(run.id, `acme/${world.repository.name}`, {}, invoked, sent);
    expect(result).toEqual({ runId: run.id, skipped: "run is not queued" });
    expect(await db.runEvent.count({ where: { runId: run.id } })).toBe(0);
    expect(sent).toEqual([]);
  });
});
