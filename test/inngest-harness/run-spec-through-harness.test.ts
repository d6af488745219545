// The real run-spec workflow, started the way the app starts it: POST /api/runs sends
// factory/run.requested through the real Inngest client to the harness's Event API, and the
// harness runs it in this process with a real planner session (scripted model, local GitHub).
// run-task is a stand-in here (test/flows covers the real one); state is checked in Postgres.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { plannerSubmits, startFactoryWorld } from "@/test/flows/factory-flow-fixtures";
import { secretCanaries } from "@/test/secret-canaries";
import { createInngestHarness } from "./index";

const harness = await createInngestHarness({ maxAttempts: 2 });
process.env.INNGEST_DEV = harness.eventApiUrl; // before lib/inngest.ts is loaded
const { inngest } = await import("@/lib/inngest");
const { runSpec } = await import("@/workflows/functions/run-spec");
const runsRoute = await import("@/app/api/runs/route");
const cancelRoute = await import("@/app/api/runs/[id]/cancel/route");

const invoked: string[] = [];
let holdTask: { key: string; released: Promise<void> } | undefined;
const standInRunTask = inngest.createFunction({ id: "run-task", retries: 0 }, async ({ event, step }) => {
  const { taskId } = event.data as { taskId: string };
  const task = await step.run("load-task", async () => {
    const found = await db.task.findUniqueOrThrow({ where: { id: taskId }, select: { key: true } });
    invoked.push(found.key); // inside a step: code outside steps runs again on every execution
    return found;
  });
  if (holdTask?.key === task.key) await step.run("held", () => holdTask?.released);
  await step.run("mark-succeeded", () => db.task.update({ where: { id: taskId }, data: { status: "succeeded" } }));
  return { taskId, status: "succeeded" as const };
});
harness.register(runSpec, standInRunTask);

const plannerPlans = plannerSubmits([
  { key: "api", title: "API", description: "Add the endpoint", acceptanceCriteria: ["GET /health answers 200"], dependsOn: [] },
  { key: "cli", title: "CLI", description: "Add a health command", acceptanceCriteria: ["`health` prints ok"], dependsOn: [] },
  { key: "docs", title: "Docs", description: "Document both", acceptanceCriteria: ["README mentions /health"], dependsOn: ["api", "cli"] },
]);

let world: Awaited<ReturnType<typeof startFactoryWorld>> | undefined;
afterEach(async () => {
  invoked.length = 0;
  holdTask = undefined;
  await world?.close();
});
afterAll(() => harness.close());

const auth = { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}`, "content-type": "application/json" };
async function requestRun(repository: string): Promise<string> {
  const body = JSON.stringify({ repo: repository, title: "Add a health check", spec: "Add GET /health and document it.", budgetUsd: 2, maxIterations: 1 });
  const response = await runsRoute.POST(new Request("http://localhost/api/runs", { method: "POST", headers: auth, body }));
  expect(response.status).toBe(201);
  return (await response.json()).id;
}
const runSpecRunOf = (runId: string) => harness.waitForRun({ functionId: "run-spec", where: (run) => run.event.data.runId === runId, timeoutMs: 60_000 });

describe("run-spec through the Inngest harness", () => {
  it("plans, invokes run-task per task in dependency waves, ends succeeded and announces it", async () => {
    world = await startFactoryWorld({ roles: { planner: plannerPlans } });
    const repository = `acme/${world.repository.name}`;
    const runId = await requestRun(repository);

    const run = await runSpecRunOf(runId);
    expect(run).toMatchObject({ status: "completed", output: { runId, status: "succeeded" } });
    expect(invoked.slice(0, 2).sort()).toEqual(["api", "cli"]);
    expect(invoked[2]).toBe("docs");

    const stored = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: true, events: { orderBy: { seq: "asc" } } } });
    expect(stored.status).toBe("succeeded");
    expect(stored.tasks.map((task) => task.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const types = stored.events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(["run.created", "run.started"]);
    expect(types.at(-1)).toBe("run.succeeded");
    expect(harness.events.filter((event) => event.data.runId === runId).map((event) => [event.name, event.data.status])).toEqual([
      ["factory/run.requested", undefined],
      ["factory/run.finished", "succeeded"],
    ]);

    // idempotent on the run id: a second request event for the same run starts nothing
    await harness.send({ name: "factory/run.requested", data: { runId, repository } });
    expect(harness.runs.filter((r) => r.functionId === "run-spec" && r.event.data.runId === runId)).toHaveLength(1);
  }, 90_000);

  it("marks the run failed through onFailure when a step keeps failing", async () => {
    world = await startFactoryWorld({ roles: { planner: plannerPlans } });
    const runId = await requestRun("acme/not-on-github"); // the planner cannot read this repository

    expect(await runSpecRunOf(runId)).toMatchObject({ status: "failed" });
    expect(await harness.waitForRun({ functionId: "run-spec-failure", where: (run) => (run.event.data.event as { data: { runId: string } }).data.runId === runId })).toMatchObject({ status: "completed" });
    const stored = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { events: { orderBy: { seq: "asc" } } } });
    expect(stored.status).toBe("failed");
    expect(stored.error).toMatch(/^The run-spec workflow failed: .*could not read repository|not found/i);
    // Nothing is left running: the run failed while detecting the repository's profile, before any session.
    const sessions = await db.agentSession.findMany({ where: { runId } });
    expect(sessions.filter((s) => s.status === "running")).toEqual([]);
    const types = stored.events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(["run.created", "run.started"]);
    expect(types.at(-1)).toBe("run.failed");
    expect(harness.events.find((event) => event.name === "factory/run.finished" && event.data.runId === runId)?.data.status).toBe("failed");
    // A missing repository is permanent: the first step that reads it fails at once instead of being retried.
    expect(harness.runs.find((run) => run.functionId === "run-spec" && run.event.data.runId === runId)?.stepAttempts).toMatchObject({ "start-run": 1, "ensure-repository-profile": 1 });
  });

  it("stops at the next step boundary when the run is cancelled through the API", async () => {
    world = await startFactoryWorld({ roles: { planner: plannerPlans } });
    let release!: () => void;
    holdTask = { key: "api", released: new Promise<void>((resolve) => (release = resolve)) };
    const runId = await requestRun(`acme/${world.repository.name}`);
    await harness.until(() => invoked.includes("api"));

    const response = await cancelRoute.POST(new Request(`http://localhost/api/runs/${runId}/cancel`, { method: "POST", headers: auth }), { params: Promise.resolve({ id: runId }) });
    expect(response.status).toBe(200);
    release();

    expect(await runSpecRunOf(runId)).toMatchObject({ status: "cancelled" });
    expect(invoked).not.toContain("docs");
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
  });
});
