// The whole factory, as a user drives it: POST /api/runs → run-spec (planner) → run-task
// (coder, PR, sandboxed tests, review) → run.finished → the Slack report. Everything real but
// the outside world: local GitHub, scripted model, local Slack, in-process Inngest harness.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";
import { startFactoryWorld, startFlowEngine, type RoleScript } from "./factory-flow-fixtures";

const { harness, slack } = await startFlowEngine({ runTimeoutMs: 120_000 });
const runsRoute = await import("@/app/api/runs/route");

const roles: Record<string, RoleScript> = {
  planner: () => ({
    toolCalls: [{ name: "submit_plan", args: { tasks: [{ key: "greeting", title: "Greeting file", description: "Add hello.txt with hello", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] }] } }],
  }),
  coder: (_request, turn) =>
    turn === 1
      ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] }
      : { toolCalls: [{ name: "finish", args: { summary: "Added hello.txt" } }] },
  tester: () => ({ toolCalls: [{ name: "finish", args: { summary: "The test command covers it." } }] }),
  reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Correct and minimal.", comments: [] } }] }),
};

describe("the factory, end to end", () => {
  it("turns a spec into a ready, reviewed PR within budget, and reports it to Slack", async () => {
    const world = await startFactoryWorld({ roles, testCommand: "grep -qx hello hello.txt" });
    try {
      const body = JSON.stringify({ repo: `acme/${world.repository.name}`, title: "Greet", spec: "Add hello.txt containing hello.", budgetUsd: 1, maxIterations: 2 });
      const response = await runsRoute.POST(
        new Request("http://localhost/api/runs", { method: "POST", headers: { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` }, body }),
      );
      expect(response.status).toBe(201);
      const { id: runId } = await response.json();

      const runSpec = await harness.waitForRun({ functionId: "run-spec", where: (run) => run.event.data.runId === runId, timeoutMs: 120_000 });
      expect(runSpec).toMatchObject({ status: "completed", output: { runId, status: "succeeded" } });
      await harness.waitForRun({ functionId: "notify-run-finished", where: (run) => run.event.data.runId === runId, timeoutMs: 30_000 });

      const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: { include: { pullRequest: true } }, llmCalls: true, notifications: true } });
      expect(run.status).toBe("succeeded");
      expect(run.tasks.map((t) => [t.key, t.status])).toEqual([["greeting", "succeeded"]]);
      expect(run.tasks[0].pullRequest?.state).toBe("open");
      expect(world.github.state.pulls.map((p) => p.isDraft)).toEqual([false]);
      expect(run.spentUsd.toNumber()).toBeGreaterThan(0);
      expect(run.spentUsd.toNumber()).toBeLessThanOrEqual(1);
      expect(run.reservedUsd.toNumber()).toBe(0);
      expect(new Set(run.llmCalls.map((c) => c.model))).toEqual(new Set(["scripted-model"]));

      expect(run.notifications.map((n) => n.deliveredAt !== null)).toEqual([true]);
      const report = JSON.stringify(slack.delivered());
      expect(report).toContain("Run succeeded");
      expect(report).toContain(`/runs/${runId}`);
      expect(findCanaries(report + JSON.stringify(world.llm.requests.map((r) => r.body)))).toEqual([]);
    } finally {
      await world.close();
    }
  }, 120_000);
});
