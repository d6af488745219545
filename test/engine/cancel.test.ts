// Cancel on the real engine: POST /api/runs/:id/cancel while a coder chunk is in flight stops
// run-spec and run-task at the engine (cancelOn), and nothing after the cancel reaches GitHub.
import { afterEach, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import { gate, startEngineWorld, type EngineRoleScript, type EngineWorld } from "./engine-world";
import { waitFor } from "./real-engine";

let world: EngineWorld | undefined;
afterEach(async () => world?.close());

describe.skipIf(!inject("inngestBinary"))("real engine (dev): cancel", () => {
  it("cancels a running run: the engine cancels run-spec and run-task, no PR is opened", async () => {
    const coderStarted = gate();
    const release = gate();
    const roles: Record<string, EngineRoleScript> = {
      planner: () => ({
        toolCalls: [{ name: "submit_plan", args: { tasks: [{ key: "greeting", title: "Greeting file", description: "Add hello.txt with hello", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] }] } }],
      }),
      coder: async (_request, turn) => {
        if (turn === 1) {
          coderStarted.open();
          await release.opened;
          return { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] };
        }
        return { toolCalls: [{ name: "finish", args: { summary: "Added hello.txt" } }] };
      },
      reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Correct.", comments: [] } }] }),
    };
    world = await startEngineWorld({ postgresServerUrl: inject("databaseUrl"), kind: "dev", roles, testCommand: "grep -qx hello hello.txt" });
    const runId = await world.createRun();
    await coderStarted.opened;

    const cancelled = await world.api(`/api/runs/${runId}/cancel`, { method: "POST", body: {} });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBeLessThan(300);
    release.open();

    const engine = world.engine;
    const runs = await waitFor("the engine to cancel run-spec and run-task", async () => {
      const found = await engine.functionRuns();
      const statusOf = (slug: string) => found.find((run) => run.functionSlug === `dark-factory-${slug}`)?.status;
      return statusOf("run-spec") === "CANCELLED" && statusOf("run-task") === "CANCELLED" ? found : undefined;
    }, { timeoutMs: 120_000 });
    expect(runs.filter((run) => run.status === "COMPLETED").map((run) => run.functionSlug)).not.toContain("dark-factory-run-spec");

    const { body } = await world.api(`/api/runs/${runId}`);
    expect(body.status).toBe("cancelled");
    const tasks = await db.task.findMany({ where: { runId } });
    expect(tasks.map((task) => task.status)).toEqual(["cancelled"]);
    expect(world.github.state.pulls).toEqual([]);
    const sessions = await db.agentSession.findMany({ where: { runId }, select: { status: true } });
    expect(sessions.filter((session) => session.status === "running")).toEqual([]);
  });
});
