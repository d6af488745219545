// Retrying a failed task end to end: a run whose only task never converges within its
// iterations ends failed; POST /api/runs/:id/tasks/:key/retry (the real route handler) sends
// factory/task.retry.requested through the app's Inngest client to the in-process harness,
// retry-task works the task again on its existing branch and PR, and the run ends succeeded.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { secretCanaries } from "@/test/secret-canaries";
import {
  greetingTask, plannerSubmits, requestRun, reviewerWantsExactHello, sessionStarts, startFactoryWorld, startFlowEngine, taskMessageOf, testerAddsNothing, writes,
  type FactoryWorld, type RoleScript,
} from "./factory-flow-fixtures";

const { harness } = await startFlowEngine({ runTimeoutMs: 180_000 });
const retryRoute = await import("@/app/api/runs/[id]/tasks/[key]/retry/route");
const loginRoute = await import("@/app/api/auth/login/route");

const appOrigin = "http://localhost:3000"; // FACTORY_PUBLIC_URL's default
const bearer = { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` };
const testCommand = "grep -qx hello hello.txt";
let world: FactoryWorld | undefined;
afterEach(async () => world?.close());

function retry(runId: string, key: string, headers: Record<string, string> = bearer): Promise<Response> {
  return retryRoute.POST(
    new Request(`${appOrigin}/api/runs/${runId}/tasks/${key}/retry`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" }),
    { params: Promise.resolve({ id: runId, key }) },
  );
}

async function loginCookie(): Promise<string> {
  const response = await loginRoute.POST(
    new Request(`${appOrigin}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appOrigin },
      body: JSON.stringify({ token: secretCanaries.FACTORY_API_TOKEN }),
    }),
  );
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0];
}

const planner = plannerSubmits([greetingTask]);
const coderMisspells = writes({ "hello.txt": "helo\n" }, "wrote hello.txt");

/** A fixer that gives up (so the task fails at its iteration limit) until the user retries, then fixes the spelling. */
function fixerThatFixesOnceRetried() {
  let isRetried = false;
  const fixer: RoleScript = (_request, turn) =>
    isRetried && turn === 1
      ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] }
      : { toolCalls: [{ name: "finish", args: { summary: isRetried ? "fixed the spelling" : "no idea" } }] };
  return { fixer, userRetries: () => void (isRetried = true) };
}

describe("retry a failed task", () => {
  it("refuses what it must, then works the failed task again to a ready PR and the run ends succeeded", async () => {
    const { fixer, userRetries } = fixerThatFixesOnceRetried();
    world = await startFactoryWorld({ testCommand, roles: { planner, coder: coderMisspells, tester: testerAddsNothing, reviewer: reviewerWantsExactHello, fixer } });
    const runId = await requestRun(world, harness.send, { maxIterations: 2, budgetUsd: 5 });
    await harness.waitForRun({ functionId: "run-spec", where: (run) => run.event.data.runId === runId, timeoutMs: 180_000 });
    const failed = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: true } });
    expect(failed.status).toBe("failed");
    expect(failed.tasks.map((task) => task.status)).toEqual(["failed"]);
    const taskId = failed.tasks[0].id;

    // Who may ask: no credentials, a cookie from another origin, a malformed key.
    expect((await retry(runId, "greeting", {})).status).toBe(401);
    const cookie = await loginCookie();
    expect((await retry(runId, "greeting", { cookie, origin: "http://evil.example" })).status).toBe(403);
    const badKey = await retry(runId, "k".repeat(101));
    expect(badKey.status).toBe(400);
    expect(JSON.stringify(await badKey.json())).toContain("key");
    expect((await retry(runId, "no-such-task")).status).toBe(404);

    // A run with nothing left of its budget is refused, saying how to go on.
    await db.run.update({ where: { id: runId }, data: { budgetUsd: failed.spentUsd } });
    const broke = await retry(runId, "greeting");
    expect(broke.status).toBe(409);
    expect(JSON.stringify(await broke.json())).toMatch(/no budget left.*new run/);
    await db.run.update({ where: { id: runId }, data: { budgetUsd: failed.budgetUsd } });
    expect((await db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("failed");

    // The app's own page (session cookie, same origin) retries it.
    userRetries();
    const accepted = await retry(runId, "greeting", { cookie, origin: appOrigin });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ runId, taskId, taskKey: "greeting", status: "pending", runStatus: "running" });
    const retried = await harness.waitForRun({ functionId: "retry-task", where: (run) => run.event.data.runId === runId, timeoutMs: 180_000 });
    expect(retried.error).toBeUndefined();
    expect(retried.output).toEqual({ runId, taskId, taskStatus: "succeeded", status: "succeeded" });

    const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: { include: { pullRequest: true } }, events: { orderBy: { seq: "asc" } }, llmCalls: true } });
    expect(run.status).toBe("succeeded");
    expect(run.error).toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(run.tasks[0].status).toBe("succeeded");
    expect(run.tasks[0].error).toBeNull();
    // Money: the retry spent more, all of it counted, within the run's one budget.
    expect(run.spentUsd.toNumber()).toBeGreaterThan(failed.spentUsd.toNumber());
    expect(run.spentUsd.toNumber()).toBeLessThanOrEqual(run.budgetUsd.toNumber());
    expect(run.spentUsd.toNumber()).toBeCloseTo(run.llmCalls.reduce((sum, call) => sum + call.costUsd.toNumber(), 0), 8);
    expect(run.reservedUsd.toNumber()).toBe(0);
    // The same branch and pull request, now ready: one PR, not two.
    expect(world.github.state.pulls).toHaveLength(1);
    expect(world.github.state.pulls[0].isDraft).toBe(false);
    expect(world.github.state.pulls[0].head).toBe(failed.tasks[0].branch);
    expect(await db.pullRequest.count({ where: { runId } })).toBe(1);
    const types = run.events.map((event) => event.type);
    expect(types.filter((type) => type === "pull_request.opened")).toHaveLength(1);
    const retryAt = types.indexOf("task.retry_requested");
    expect(retryAt).toBeGreaterThan(types.indexOf("run.failed"));
    expect(types.slice(retryAt)).toEqual(expect.arrayContaining(["task.started", "task.succeeded", "run.succeeded"]));
    expect(run.events[retryAt].payload).toMatchObject({ taskKey: "greeting", previousStatus: "failed", previousRunStatus: "failed" });
    // The retry's fixer was told what was still wrong.
    expect(taskMessageOf(sessionStarts(world.llm.requests, "fixer").at(-1)!)).toContain("Spelled wrong.");
    expect(await db.branchLease.count()).toBe(0);

    // A task that succeeded is not retried: 409 naming its state.
    const again = await retry(runId, "greeting");
    expect(again.status).toBe(409);
    expect(JSON.stringify(await again.json())).toContain("greeting is succeeded");
  }, 300_000);

  it("works the tasks that were skipped because the retried one failed, once it succeeds", async () => {
    const { fixer, userRetries } = fixerThatFixesOnceRetried();
    // The dependent task writes its own file; its branch starts from the greeting's, whose tests it inherits.
    const coder: RoleScript = (request, turn) =>
      taskMessageOf(request).includes("bye.txt")
        ? turn === 1
          ? { toolCalls: [{ name: "write_file", args: { path: "bye.txt", content: "bye\n" } }] }
          : { toolCalls: [{ name: "finish", args: { summary: "wrote bye.txt" } }] }
        : coderMisspells(request, turn);
    const twoTasks = plannerSubmits([
      { key: "greeting", title: "Greeting file", description: "Create hello.txt", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] },
      { key: "farewell", title: "Farewell file", description: "Create bye.txt", acceptanceCriteria: ["bye.txt contains bye"], dependsOn: ["greeting"] },
    ]);
    world = await startFactoryWorld({ testCommand, roles: { planner: twoTasks, coder, tester: testerAddsNothing, reviewer: reviewerWantsExactHello, fixer } });
    const runId = await requestRun(world, harness.send, { maxIterations: 2, budgetUsd: 5 });
    await harness.waitForRun({ functionId: "run-spec", where: (run) => run.event.data.runId === runId, timeoutMs: 180_000 });
    const statuses = async () => Object.fromEntries((await db.task.findMany({ where: { runId } })).map((task) => [task.key, task.status]));
    expect(await statuses()).toEqual({ greeting: "failed", farewell: "skipped" });
    // A skipped task is not itself retried: it comes back with the task it waits for.
    const skipped = await retry(runId, "farewell");
    expect(skipped.status).toBe(409);
    expect(JSON.stringify(await skipped.json())).toContain("farewell is skipped");

    userRetries();
    expect((await retry(runId, "greeting")).status).toBe(202);
    const retried = await harness.waitForRun({ functionId: "retry-task", where: (run) => run.event.data.runId === runId, timeoutMs: 240_000 });
    expect(retried.output).toMatchObject({ taskStatus: "succeeded", status: "succeeded" });
    expect(await statuses()).toEqual({ greeting: "succeeded", farewell: "succeeded" });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: { include: { pullRequest: true } } } });
    expect(run.status).toBe("succeeded");
    expect(run.spentUsd.toNumber()).toBeLessThanOrEqual(run.budgetUsd.toNumber());
    // One PR per task; the dependent one stacked on the greeting's branch.
    const pulls = world.github.state.pulls;
    expect(pulls).toHaveLength(2);
    const greeting = run.tasks.find((task) => task.key === "greeting")!;
    expect(pulls.find((pull) => pull.head === run.tasks.find((task) => task.key === "farewell")!.branch)?.base).toBe(greeting.branch);
  }, 400_000);
});
