// The harness's behaviour, with small throwaway functions: each test would fail if the part
// of the Inngest server it plays stopped working.
import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import { createInngestHarness, type HarnessOptions, type InngestHarness } from "./index";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const inngest = new Inngest({ id: "harness-test", logger: quiet });
let harness: InngestHarness | undefined;
afterEach(async () => harness?.close());

async function start(functions: HarnessOptions["functions"]) {
  harness = await createInngestHarness({ functions });
  return harness;
}

/** A promise the test resolves by hand, to hold a step open. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("Inngest harness", () => {
  it("runs sequential steps, feeding each result to the next, and sets runId/attempt/maxAttempts", async () => {
    const seen: unknown[] = [];
    const fn = inngest.createFunction({ id: "sequence", retries: 2, triggers: [{ event: "test/sequence" }] }, async ({ event, step, runId, attempt, maxAttempts }) => {
      const a = await step.run("a", () => (event.data as { n: number }).n + 1);
      const b = await step.run("b", () => a * 10);
      seen.push({ runId, attempt, maxAttempts });
      return { a, b };
    });
    const h = await start([fn]);
    await h.send({ name: "test/sequence", data: { n: 1 } });
    const run = await h.waitForRun({ functionId: "sequence" });
    expect(run).toMatchObject({ status: "completed", output: { a: 2, b: 20 } });
    expect(seen).toContainEqual({ runId: run.id, attempt: 0, maxAttempts: 3 });
  });

  it("runs each of three parallel steps exactly once", async () => {
    const calls: Record<string, number> = { x: 0, y: 0, z: 0 };
    const fn = inngest.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }] }, async ({ step }) => {
      const results = await Promise.all(
        (["x", "y", "z"] as const).map((key, i) =>
          step.run(`work-${key}`, async () => {
            calls[key] += 1;
            await new Promise((resolve) => setTimeout(resolve, 30 * (3 - i))); // finish out of order
            return key.toUpperCase();
          }),
        ),
      );
      return results.join("");
    });
    const h = await start([fn]);
    await h.send({ name: "test/parallel", data: {} });
    expect(await h.waitForRun({ functionId: "parallel" })).toMatchObject({ status: "completed", output: "XYZ" });
    expect(calls).toEqual({ x: 1, y: 1, z: 1 });
  });

  it("step.invoke runs another function as a nested run and returns its output, or throws its error", async () => {
    const double = inngest.createFunction({ id: "double" }, async ({ event }) => (event.data as { n: number }).n * 2);
    const broken = inngest.createFunction({ id: "broken", retries: 0 }, async () => {
      throw new Error("broken on purpose");
    });
    const parent = inngest.createFunction({ id: "parent", triggers: [{ event: "test/invoke" }] }, async ({ step }) => {
      const doubled = await step.invoke("call-double", { function: double, data: { n: 21 } });
      const failure = await step.invoke("call-broken", { function: broken, data: {} }).catch((error: Error) => `${error.name}: ${error.message}`);
      return { doubled, failure };
    });
    const h = await start([double, broken, parent]);
    await h.send({ name: "test/invoke", data: {} });
    const run = await h.waitForRun({ functionId: "parent" });
    expect(run).toMatchObject({ status: "completed", output: { doubled: 42, failure: "Error: broken on purpose" } });
    expect(h.runs.find((r) => r.functionId === "double")).toMatchObject({ parentRunId: run.id, status: "completed" });
  });

  it("waitForEvent resolves with the event that matches `if`, and with null on timeout", async () => {
    const fn = inngest.createFunction({ id: "approval", triggers: [{ event: "test/review.requested" }] }, async ({ step }) => {
      const approved = await step.waitForEvent("wait-approval", { event: "test/approved", timeout: "1h", if: "async.data.prId == event.data.prId" });
      const late = await step.waitForEvent("wait-never", { event: "test/never", timeout: "2s" });
      return { approvedBy: (approved?.data as { by?: string } | undefined)?.by ?? null, late };
    });
    const h = await start([fn]);
    await h.send({ name: "test/review.requested", data: { prId: 7 } });
    await h.waitForRun({ functionId: "approval", status: "running", where: (run) => run.waitingFor.includes("test/approved") });
    await h.send({ name: "test/approved", data: { prId: 8, by: "wrong-pr" } });
    await h.send({ name: "test/approved", data: { prId: 7, by: "octocat" } });
    expect(await h.waitForRun({ functionId: "approval" })).toMatchObject({ status: "completed", output: { approvedBy: "octocat", late: null } });
  });

  it("step.sendEvent delivers events into the harness, triggering the functions that listen", async () => {
    const sender = inngest.createFunction({ id: "sender", triggers: [{ event: "test/send" }] }, async ({ step }) => {
      await step.sendEvent("announce", { name: "test/announced", data: { value: 5 } });
    });
    const listener = inngest.createFunction({ id: "listener", triggers: [{ event: "test/announced", if: "event.data.value > 3" }] }, async ({ event }) => event.data);
    const h = await start([sender, listener]);
    await h.send({ name: "test/send", data: {} });
    expect(await h.waitForRun({ functionId: "listener" })).toMatchObject({ status: "completed", output: { value: 5 } });
    expect(h.events.map((e) => e.name)).toEqual(["test/send", "test/announced"]);
  });

  it("retries a failing step with fresh attempts, then succeeds; RetryAfterError is retried too", async () => {
    const attempts: number[] = [];
    const fn = inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ step, attempt }) => {
      const value = await step.run("flaky-step", () => {
        attempts.push(attempt);
        if (attempts.length === 1) throw new Error("transient");
        if (attempts.length === 2) throw new RetryAfterError("rate limited", "5s");
        return "ok";
      });
      return value;
    });
    const h = await start([fn]);
    await h.send({ name: "test/flaky", data: {} });
    const run = await h.waitForRun({ functionId: "flaky" });
    expect(run).toMatchObject({ status: "completed", output: "ok", stepAttempts: { "flaky-step": 3 } });
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("a step that exhausts its retries fails the run without retrying the function, and onFailure runs", async () => {
    let calls = 0;
    const fn = inngest.createFunction(
      {
        id: "exhausted",
        retries: 1,
        triggers: [{ event: "test/exhausted" }],
        onFailure: async ({ event, error }) => ({ original: event.data.event.data, message: error.message }),
      },
      async ({ step }) => {
        await step.run("always-fails", () => {
          calls += 1;
          throw new Error(`failure ${calls}`);
        });
      },
    );
    const h = await start([fn]);
    await h.send({ name: "test/exhausted", data: { id: "e1" } });
    expect(await h.waitForRun({ functionId: "exhausted" })).toMatchObject({ status: "failed", error: { message: "failure 2" } });
    expect(calls).toBe(2);
    const failure = await h.waitForRun({ functionId: "exhausted-failure" });
    expect(failure).toMatchObject({ status: "completed", output: { original: { id: "e1" }, message: "failure 2" } });
    expect(failure.event).toMatchObject({ name: "inngest/function.failed", data: { function_id: "harness-test-exhausted" } });
  });

  it("NonRetriableError fails the run at once and onFailure runs with the error and the original event", async () => {
    let calls = 0;
    const failures: unknown[] = [];
    const fn = inngest.createFunction(
      {
        id: "fatal",
        retries: 3,
        triggers: [{ event: "test/fatal" }],
        onFailure: async ({ event, error, step }) => {
          await step.run("record-failure", () => failures.push({ data: event.data.event.data, name: error.name, message: error.message }));
        },
      },
      async ({ step }) => {
        await step.run("fatal-step", () => {
          calls += 1;
          throw new NonRetriableError("cannot continue");
        });
      },
    );
    const h = await start([fn]);
    await h.send({ name: "test/fatal", data: { id: "f1" } });
    expect(await h.waitForRun({ functionId: "fatal" })).toMatchObject({ status: "failed", error: { name: "NonRetriableError" } });
    await h.waitForRun({ functionId: "fatal-failure" });
    expect(calls).toBe(1);
    expect(failures).toEqual([{ data: { id: "f1" }, name: "NonRetriableError", message: "cannot continue" }]);
  });

  it("cancelOn stops a run at its next step boundary when a matching event arrives", async () => {
    const held = gate();
    const ran: string[] = [];
    const fn = inngest.createFunction(
      { id: "cancellable", triggers: [{ event: "test/job" }], cancelOn: [{ event: "test/job.cancelled", if: "async.data.jobId == event.data.jobId" }] },
      async ({ step }) => {
        await step.run("first", async () => {
          ran.push("first");
          await held.opened;
        });
        await step.run("second", () => ran.push("second"));
      },
    );
    const h = await start([fn]);
    await h.send([{ name: "test/job", data: { jobId: "a" } }, { name: "test/job", data: { jobId: "b" } }]);
    await h.until(() => ran.length === 2);
    await h.send({ name: "test/job.cancelled", data: { jobId: "a" } });
    held.open();
    const other = await h.waitForRun({ functionId: "cancellable", where: (run) => run.event.data.jobId === "b" });
    const cancelled = h.runs.find((run) => run.event.data.jobId === "a");
    expect(other.status).toBe("completed");
    expect(cancelled?.status).toBe("cancelled");
    expect(ran.sort()).toEqual(["first", "first", "second"]);
  });

  it("idempotency drops a second event with the same key, and a re-sent event id triggers nothing", async () => {
    const fn = inngest.createFunction({ id: "once", idempotency: "event.data.orderId", triggers: [{ event: "test/order" }] }, async ({ event }) => event.data);
    const h = await start([fn]);
    await h.send({ name: "test/order", data: { orderId: "o1", copy: 1 } });
    await h.send({ name: "test/order", data: { orderId: "o1", copy: 2 } });
    await h.send({ name: "test/order", data: { orderId: "o2", copy: 3 } });
    await h.send({ id: "fixed-id", name: "test/order", data: { orderId: "o3" } });
    await h.send({ id: "fixed-id", name: "test/order", data: { orderId: "o4" } });
    await h.until(() => h.runs.length === 3 && h.runs.every((run) => run.status === "completed"));
    expect(h.runs.map((run) => run.output)).toEqual([{ orderId: "o1", copy: 1 }, { orderId: "o2", copy: 3 }, { orderId: "o3" }]);
  });

  it("sleeps on a real timer scaled by timeScale", async () => {
    const fn = inngest.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ step }) => {
      const before = await step.run("before", () => Date.now());
      await step.sleep("nap", "1m"); // 60 ms at the default scale
      return (await step.run("after", () => Date.now())) - before;
    });
    const h = await start([fn]);
    await h.send({ name: "test/sleep", data: {} });
    const run = await h.waitForRun({ functionId: "sleeper" });
    expect(run.status).toBe("completed");
    expect(run.output).toBeGreaterThanOrEqual(55);
  });

  it("receives events the app sends with its real Inngest client through the Event API", async () => {
    const fn = inngest.createFunction({ id: "from-app", triggers: [{ event: "test/from-app" }] }, async ({ event }) => event.data);
    const h = await start([fn]);
    const app = new Inngest({ id: "app-under-test", isDev: true, baseUrl: h.eventApiUrl });
    const { ids } = await app.send({ name: "test/from-app", data: { hello: "world" } });
    expect(ids).toHaveLength(1);
    expect(await h.waitForRun({ functionId: "from-app" })).toMatchObject({ status: "completed", output: { hello: "world" } });
    expect(h.events[0]).toMatchObject({ id: ids[0], name: "test/from-app" });
  });
});
