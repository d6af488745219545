// Pins the @inngest/test and inngest internals the harness is built on. If an upgrade breaks
// one of these, fix run-loop.ts (or drop a workaround that is no longer needed) before
// trusting any whole-flow test.
import { readFileSync } from "node:fs";
import { InngestTestEngine } from "@inngest/test";
import { Inngest, NonRetriableError } from "inngest";
import { StepOpCode } from "inngest/types";
import { describe, expect, it } from "vitest";
import { hashStepId } from "./run-loop";

const versionOf = (name: string) => JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const inngest = new Inngest({ id: "harness-contract", logger: quiet });
const event = { name: "test/contract", data: {} };

type Options = Record<string, unknown> & { transformCtx?: (ctx: any) => any };
/** Exactly how run-loop.ts calls the engine: clone per execution, then individualExecution. */
async function execute(fn: any, options: Options = {}) {
  const { transformCtx, ...inline } = options;
  const engine = new InngestTestEngine({ function: fn }).clone(transformCtx ? { transformCtx } : {});
  const { result } = await engine["individualExecution"]({ events: [event], disableImmediateExecution: true, ...inline });
  return result as any;
}
const memo = (id: string, value: unknown) => ({ id: hashStepId(id), idIsHashed: true, handler: () => value });

describe("harness contract with @inngest/test and inngest", () => {
  it("runs on the pinned versions", () => {
    const versions = { inngest: versionOf("inngest"), test: versionOf("@inngest/test") };
    expect(versions, "the harness was written against inngest 4.24.0 and @inngest/test 1.0.0; re-check this file's pins before upgrading").toEqual({ inngest: "4.24.0", test: "1.0.0" });
    expect(typeof InngestTestEngine.prototype["individualExecution"], "InngestTestEngine.individualExecution is the per-execution method the run loop calls").toBe("function");
    expect(typeof InngestTestEngine.prototype.clone).toBe("function");
  });

  it("uses the op codes the run loop switches on", () => {
    expect({ ...StepOpCode }).toMatchObject({ StepPlanned: "StepPlanned", StepFailed: "StepFailed", StepError: "StepError", Sleep: "Sleep", WaitForEvent: "WaitForEvent", InvokeFunction: "InvokeFunction" });
  });

  it("reports new steps as steps-found with sha1-hashed ids, and runs a targeted step as step-ran", async () => {
    const fn = inngest.createFunction({ id: "c-steps", triggers: [{ event: "test/contract" }] }, async ({ step }) => {
      const a = await step.run("a", () => "A");
      return step.run("b", () => `${a}B`);
    });
    const found = await execute(fn);
    expect(found.type).toBe("steps-found");
    expect(found.steps, "step ids must be sha1(id) (run-loop hashStepId)").toMatchObject([{ id: hashStepId("a"), op: "StepPlanned", userland: { id: "a" } }]);
    expect(await execute(fn, { targetStepId: hashStepId("a") })).toMatchObject({ type: "step-ran", step: { id: hashStepId("a"), data: "A" } });
    const next = await execute(fn, { steps: [memo("a", "A")] });
    expect(next.steps, "memoised steps are fed as { id: hashed, idIsHashed: true, handler }").toMatchObject([{ id: hashStepId("b") }]);
    expect(await execute(fn, { steps: [memo("a", "A"), memo("b", "AB")] })).toMatchObject({ type: "function-resolved", data: "AB" });
  });

  it("reports parallel steps together, and the async ops with the fields the run loop reads", async () => {
    const target = inngest.createFunction({ id: "c-target" }, async () => 1);
    const fn = inngest.createFunction({ id: "c-ops", triggers: [{ event: "test/contract" }] }, async ({ step }) => {
      await Promise.all([step.run("p1", () => 1), step.run("p2", () => 2)]);
      await Promise.all([
        step.sleep("nap", "1m"),
        step.waitForEvent("wait", { event: "test/other", timeout: "1h", if: "async.data.x == event.data.x" }),
        step.invoke("call", { function: target, data: { n: 1 } }),
      ]);
    });
    expect((await execute(fn)).steps.map((s: { id: string }) => s.id)).toEqual([hashStepId("p1"), hashStepId("p2")]);
    const { steps } = await execute(fn, { steps: [memo("p1", 1), memo("p2", 2)] });
    expect(steps).toMatchObject([
      { op: "Sleep", name: "1m" },
      { op: "WaitForEvent", name: "test/other", opts: { timeout: "1h", if: "async.data.x == event.data.x" } },
      { op: "InvokeFunction", opts: { function_id: "harness-contract-c-target", payload: { data: { n: 1 } } } },
    ]);
  });

  it("takes transformCtx from clone(), and the engine decides retries from ctx.attempt and ctx.maxAttempts", async () => {
    const fn = inngest.createFunction({ id: "c-retry", triggers: [{ event: "test/contract" }] }, async ({ step }) => {
      await step.run("fails", () => {
        throw new Error("nope");
      });
    });
    const at = (attempt: number) => ({ targetStepId: hashStepId("fails"), transformCtx: (ctx: object) => ({ ...ctx, attempt, maxAttempts: 2 }) });
    expect(await execute(fn, at(0)), "a failed attempt before the last is a retriable StepError").toMatchObject({ type: "step-ran", retriable: true, step: { op: "StepError", error: { message: "nope" } } });
    expect(await execute(fn, at(1)), "the last attempt is a final StepFailed").toMatchObject({ type: "step-ran", step: { op: "StepFailed" } });
  });

  it("passes the transformed ctx to the handler and marks NonRetriableError as not retriable", async () => {
    const fn = inngest.createFunction({ id: "c-ctx", triggers: [{ event: "test/contract" }] }, async ({ runId, attempt }) => {
      throw new NonRetriableError(`${runId}/${attempt}`);
    });
    const result = await execute(fn, { transformCtx: (ctx: object) => ({ ...ctx, runId: "run-1", attempt: 2 }) });
    expect(result).toMatchObject({ type: "function-rejected", retriable: false, error: { name: "NonRetriableError", message: "run-1/2" } });
  });

  it("still loses memoised step errors and breaks memoised waitForEvent results (why the harness uses a marker and a ctx stub)", async () => {
    const fn = inngest.createFunction({ id: "c-memo", triggers: [{ event: "test/contract" }] }, async ({ step }) => {
      const failed = await step.run("failed", () => "x").then((value) => ({ value }), (error: Error) => ({ error: error.message }));
      const waited = await step.waitForEvent("wait", { event: "test/other", timeout: "1h" }).then(() => "ok", (error: Error) => error.name);
      return { failed, waited };
    });
    const failing = { id: hashStepId("failed"), idIsHashed: true, handler: () => { throw new Error("boom"); } };
    const result = await execute(fn, { steps: [failing, memo("wait", { name: "test/other", data: {} })] });
    expect(result, "if @inngest/test now feeds step errors and waitForEvent results through faithfully, simplify run-loop.ts").toMatchObject({
      type: "function-resolved",
      data: { failed: { value: undefined }, waited: "EventValidationError" },
    });
  });
});
