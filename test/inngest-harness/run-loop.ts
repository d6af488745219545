// Plays the Inngest server for one function run: executes it one request at a time through
// @inngest/test's per-execution method, and answers each op the SDK reports.
import { createHash, randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { type Context, type InngestFunction, StepError } from "inngest";
import { durationMs, type HarnessEvent } from "./matcher";

export type SerializedError = { name: string; message: string; stack?: string };
export type RunStatus = "running" | "completed" | "failed" | "cancelled";

/** One function run, as tests see it. Mutated in place while the run goes on. */
export type HarnessRun = {
  id: string;
  functionId: string;
  event: HarnessEvent;
  status: RunStatus;
  output?: unknown;
  error?: SerializedError;
  parentRunId?: string;
  /** Event names this run's pending `step.waitForEvent` calls wait for. */
  waitingFor: string[];
  /** Attempts made per step id (userland id). */
  stepAttempts: Record<string, number>;
};

/** A pending `step.waitForEvent`, matched by the harness against events sent later. */
export type Waiter = { runId: string; eventName: string; expression?: string; triggerEvent: HarnessEvent; resolve(event: HarnessEvent): void };

/** What a run needs from the harness around it. Times are real milliseconds. */
export type RunHost = {
  timeScale: number;
  maxAttempts?: number;
  timer(ms: number, onFire: () => void): () => void;
  send(payload: unknown): Promise<{ ids: string[] }>;
  invoke(parent: HarnessRun, functionId: string, data: unknown): Promise<HarnessRun>;
  addWaiter(waiter: Waiter): () => void;
  onFinish(run: HarnessRun): void;
};

/** The parts of an execution result (an @inngest/test checkpoint) the loop reads. */
type FoundOp = { id: string; op: string; name?: string; displayName?: string; opts?: Record<string, any>; userland?: { id: string } };
type Checkpoint =
  | { type: "function-resolved"; data: unknown }
  | { type: "function-rejected"; error: SerializedError; retriable?: boolean | string }
  | { type: "steps-found"; steps: FoundOp[] }
  | { type: "step-ran"; step: FoundOp & { data?: unknown; error?: SerializedError }; retriable?: boolean | string }
  | { type: "step-not-found" | "change-mode" };

/** Step state is keyed by the sha1 of the step id, as in the SDK. */
export const hashStepId = (id: string) => createHash("sha1").update(id).digest("hex");

// A failed step is fed back as this marker (memoised errors reach handlers as `undefined`
// otherwise) and rethrown as a StepError by the wrapped step tools.
const stepErrorKey = "__harnessStepError";
const toMarker = (error: SerializedError) => ({ [stepErrorKey]: error });
const isMarker = (value: unknown): value is { [stepErrorKey]: SerializedError } =>
  typeof value === "object" && value !== null && stepErrorKey in value;

export const harnessError = (message: string): SerializedError => ({ name: "InngestHarnessError", message });
export const serializeError = (error: unknown): SerializedError =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: "Error", message: String(error) };

type StepTool = (...args: unknown[]) => Promise<unknown>;
const stepIdOf = (idOrOptions: unknown) => (typeof idOrOptions === "string" ? idOrOptions : (idOrOptions as { id: string }).id);

export function startRun(options: {
  fn: InngestFunction.Any;
  functionId: string;
  event: HarnessEvent;
  host: RunHost;
  timeoutMs: number;
  parentRunId?: string;
  /** Set for an onFailure run: the error its ctx.error carries. */
  failure?: SerializedError;
}) {
  const { fn, event, host } = options;
  const retries = (fn.opts as { retries?: number }).retries ?? 3;
  const maxAttempts = Math.min(retries + 1, host.maxAttempts ?? Infinity);
  const run: HarnessRun = { id: randomUUID(), functionId: options.functionId, event, status: "running", parentRunId: options.parentRunId, waitingFor: [], stepAttempts: {} };
  const engine = new InngestTestEngine({ function: fn });
  const memo = new Map<string, unknown>(); // hashed id -> result or error marker, in completion order
  const waitResults = new Map<string, HarnessEvent | null>();
  const inFlight = new Set<string>();
  const thrownStepErrors = new Set<string>();
  const cleanups: Array<() => void> = [];
  let version = 0;
  let wake: (() => void) | undefined;
  let resolveDone!: (run: HarnessRun) => void;
  const done = new Promise<HarnessRun>((resolve) => (resolveDone = resolve));

  const bump = () => {
    version += 1;
    wake?.();
  };
  const isStopped = () => run.status !== "running";
  const pause = (ms: number) => new Promise<void>((resolve) => cleanups.push(host.timer(ms * host.timeScale, resolve)));

  function finish(status: Exclude<RunStatus, "running">, result: { output?: unknown; error?: SerializedError } = {}) {
    if (isStopped()) return;
    Object.assign(run, { status, ...result, waitingFor: [] });
    for (const cleanup of cleanups.splice(0)) cleanup();
    wake?.();
    resolveDone(run);
    host.onFinish(run);
  }

  function transformCtx(raw: Context.Any, attempt: number): Context.Any {
    const ctx = raw as unknown as Record<string, any>;
    const step = ctx.step as Record<string | symbol, any>;
    const rethrowing = (tool: StepTool): StepTool => (idOrOptions, ...rest) =>
      tool(idOrOptions, ...rest).then((value) => {
        if (!isMarker(value)) return value;
        const error = value[stepErrorKey];
        thrownStepErrors.add(`${error.name}:${error.message}`);
        throw new StepError(stepIdOf(idOrOptions), error);
      });
    const waitCalls = new Map<string, number>();
    const waitForEvent: StepTool = (idOrOptions, ...rest) => {
      const id = stepIdOf(idOrOptions);
      const index = waitCalls.get(id) ?? 0;
      waitCalls.set(id, index + 1);
      const hashed = hashStepId(index === 0 ? id : `${id}:${index}`);
      return waitResults.has(hashed) ? Promise.resolve(waitResults.get(hashed)) : step.waitForEvent(idOrOptions, ...rest);
    };
    const runTool = rethrowing(step.run);
    const harnessStep = {
      ...step,
      run: runTool,
      invoke: rethrowing(step.invoke),
      waitForEvent,
      // The payload goes straight into the harness, inside a memoised step.
      sendEvent: (idOrOptions: unknown, payload: unknown) => runTool(idOrOptions, () => host.send(payload)),
      ai: { ...step.ai, wrap: rethrowing(step.ai.wrap) },
    };
    const failure = options.failure && Object.assign(new Error(options.failure.message), { name: options.failure.name });
    return { ...ctx, runId: run.id, attempt, maxAttempts, step: harnessStep, ...(failure && { error: failure }) } as unknown as Context.Any;
  }

  async function execute(targetStepId: string | undefined, attempt: number): Promise<Checkpoint> {
    const steps = [...memo].map(([id, value]) => ({ id, idIsHashed: true, handler: () => value }));
    const perExecution = engine.clone({ transformCtx: (ctx) => transformCtx(ctx, attempt) });
    const { result } = await perExecution["individualExecution"]({ events: [event], steps, targetStepId, disableImmediateExecution: true });
    return result as unknown as Checkpoint;
  }

  function retryDelayMs(retriable: boolean | string | undefined, attempt: number): number {
    if (typeof retriable !== "string") return 1000 * 2 ** attempt;
    return /^\d+$/.test(retriable) ? Number(retriable) * 1000 : Math.max(0, Date.parse(retriable) - Date.now());
  }

  /** Runs one step with retries; resolves to its output or an error marker. */
  async function runStep(op: FoundOp): Promise<unknown> {
    const name = op.userland?.id ?? op.displayName ?? op.id;
    for (let attempt = 0; ; attempt++) {
      run.stepAttempts[name] = attempt + 1;
      const result = await execute(op.id, attempt);
      if (result.type !== "step-ran") return toMarker(harnessError(`step "${name}" was not reached (execution ended with "${result.type}")`));
      if (result.step.error === undefined) return result.step.data ?? null;
      if (result.step.op === "StepFailed" || result.retriable === false || isStopped()) return toMarker(result.step.error);
      await pause(retryDelayMs(result.retriable, attempt));
    }
  }

  function startOp(op: FoundOp) {
    inFlight.add(op.id);
    const settle = (value: unknown) => {
      inFlight.delete(op.id);
      memo.set(op.id, value);
      bump();
    };
    switch (op.op) {
      case "StepPlanned":
        return void runStep(op).then(settle, (error) => settle(toMarker(serializeError(error))));
      case "Sleep":
        return void cleanups.push(host.timer((durationMs(op.name) ?? 0) * host.timeScale, () => settle(null)));
      case "InvokeFunction":
        return void host.invoke(run, String(op.opts?.function_id), op.opts?.payload?.data).then(
          (child) => settle(child.status === "completed" ? child.output : toMarker(child.error ?? harnessError(`invoked run ${child.status}`))),
          (error) => settle(toMarker(serializeError(error))),
        );
      case "WaitForEvent": {
        const eventName = String(op.name);
        run.waitingFor.push(eventName);
        const resolve = (matched: HarnessEvent | null) => {
          stopWaiting();
          inFlight.delete(op.id);
          waitResults.set(op.id, matched);
          run.waitingFor.splice(run.waitingFor.indexOf(eventName), 1);
          bump();
        };
        const removeWaiter = host.addWaiter({ runId: run.id, eventName, expression: op.opts?.if, triggerEvent: event, resolve });
        const timeout = durationMs(op.opts?.timeout);
        const cancelTimer = timeout === undefined ? undefined : host.timer(timeout * host.timeScale, () => resolve(null));
        const stopWaiting = () => (removeWaiter(), cancelTimer?.());
        return void cleanups.push(stopWaiting);
      }
      default:
        return finish("failed", { error: harnessError(`the harness does not support the "${op.op}" op (step "${op.displayName ?? op.id}")`) });
    }
  }

  async function drive() {
    let attempt = 0;
    while (!isStopped()) {
      const seen = version;
      const result = await execute(undefined, attempt);
      if (isStopped()) return;
      if (result.type === "function-resolved") return finish("completed", { output: result.data });
      if (result.type === "function-rejected") {
        const isFinal = result.retriable === false || thrownStepErrors.has(`${result.error.name}:${result.error.message}`) || attempt + 1 >= maxAttempts;
        if (isFinal) return finish("failed", { error: result.error });
        await pause(retryDelayMs(result.retriable, attempt++));
        continue;
      }
      if (result.type !== "steps-found") return finish("failed", { error: harnessError(`unexpected execution result "${result.type}"`) });
      attempt = 0;
      for (const op of result.steps) if (!inFlight.has(op.id) && !memo.has(op.id) && !waitResults.has(op.id)) startOp(op);
      if (version === seen && inFlight.size === 0 && !isStopped()) {
        return finish("failed", { error: harnessError("the run reported steps but none could be started") });
      }
      if (version === seen) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }

  const timeoutError = { name: "InngestHarnessTimeout", message: `run timed out after ${options.timeoutMs} ms` };
  cleanups.push(host.timer(options.timeoutMs, () => finish("failed", { error: timeoutError })));
  drive().catch((error) => finish("failed", { error: serializeError(error) }));
  return { run, done, cancel: () => finish("cancelled") };
}
