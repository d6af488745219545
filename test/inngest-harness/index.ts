// An in-process stand-in for the Inngest server, for whole-flow tests: events in (from tests,
// from `step.sendEvent`, or from the app's real client through the Event API), runs out.
//
// Supported: event triggers (exact names, trailing `*`, trigger `if`), event-id dedup,
// `idempotency` keys, step.run with per-step retries (`retries`, NonRetriableError,
// RetryAfterError), parallel steps (each runs once), step.sleep / sleepUntil (real timers
// scaled by `timeScale`), step.waitForEvent (name + CEL `if`/`match`, timeout -> null),
// step.invoke (nested run; its error comes back as a StepError), step.sendEvent, cancelOn
// (name + `if`/`match`; stops at the next step boundary), onFailure (a separate run with the
// inngest/function.failed payload and ctx.error), ctx.runId / attempt / maxAttempts.
//
// Not supported (only the real server proves these): concurrency, throttle, debounce, rate
// limits, batching, priority, singleton, cron triggers, realtime, step.waitForSignal,
// step.ai.infer, step.fetch, defer, checkpointing, the inngest/function.finished and
// .cancelled events, and function-level `timeouts`. Invoke and cancelOn timeouts are ignored.
// It relies on @inngest/test internals; harness-contract.test.ts pins them.
import { randomUUID } from "node:crypto";
import type { InngestFunction } from "inngest";
import { Inngest } from "inngest";
import { startFakeInngestEventApi, type ReceivedEvent as IncomingEvent } from "@/test/fake-inngest-event-api";
import { evaluateKey, type HarnessEvent, matchesEventName, matchesExpression } from "./matcher";
import { type HarnessRun, type RunHost, type RunStatus, startRun, type Waiter } from "./run-loop";

export type { HarnessEvent, HarnessRun, RunStatus };

export type HarnessOptions = {
  functions?: InngestFunction.Any[];
  /** Real ms per workflow ms for sleeps, waitForEvent timeouts and retry backoff. Default 0.001 (1 s -> 1 ms). */
  timeScale?: number;
  /** Caps attempts per step and per run, below each function's `retries` + 1. */
  maxAttempts?: number;
  /** A run still going after this many real ms fails with InngestHarnessTimeout. Default 15 000. */
  runTimeoutMs?: number;
};

export type RunFilter = {
  functionId?: string;
  /** Default: any final status (completed, failed or cancelled). */
  status?: RunStatus | "finished";
  where?: (run: HarnessRun) => boolean;
  /** Real ms before waitForRun rejects. Default 10 000. */
  timeoutMs?: number;
};

export type InngestHarness = Awaited<ReturnType<typeof createInngestHarness>>;

type FunctionOptions = {
  id: string;
  triggers?: Array<{ event?: string | { name: string }; if?: string; cron?: string }>;
  idempotency?: string;
  cancelOn?: Array<{ event: string | { name: string }; if?: string; match?: string }>;
  onFailure?: (...args: any[]) => unknown;
};
const optionsOf = (fn: InngestFunction.Any) => fn.opts as unknown as FunctionOptions;
const nameOf = (event: string | { name: string } | undefined) => (typeof event === "string" ? event : event?.name);

export async function createInngestHarness(options: HarnessOptions = {}) {
  const functions: InngestFunction.Any[] = [...(options.functions ?? [])];
  const events: HarnessEvent[] = [];
  const runs: HarnessRun[] = [];
  const cancels = new Map<string, () => void>();
  const runFunctions = new Map<string, InngestFunction.Any>();
  const waiters = new Set<Waiter>();
  const seenEventIds = new Set<string>();
  const idempotencyKeys = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const listeners = new Set<() => void>();
  const failureFunctions = new Map<InngestFunction.Any, InngestFunction.Any>();
  let isClosed = false;

  const changed = () => [...listeners].forEach((listener) => listener());

  const host: RunHost = {
    timeScale: options.timeScale ?? 0.001,
    maxAttempts: options.maxAttempts,
    timer(ms, onFire) {
      const timer = setTimeout(() => (timers.delete(timer), onFire()), ms);
      timers.add(timer);
      return () => (clearTimeout(timer), timers.delete(timer));
    },
    send: async (payload) => {
      const list = (Array.isArray(payload) ? payload : [payload]) as Array<IncomingEvent & { validate?: () => Promise<void> }>;
      for (const event of list) await event.validate?.();
      return { ids: accept(list) };
    },
    invoke: async (parent, functionId, data) => {
      const fn = functions.find((candidate) => candidate.id(candidate["client"].id) === functionId);
      if (!fn) throw new Error(`step.invoke: no function "${functionId}" is registered with the harness`);
      const event = normalize({ name: "inngest/function.invoked", data: (data ?? {}) as Record<string, unknown> });
      return launch(fn, event, { parentRunId: parent.id }).done;
    },
    addWaiter(waiter) {
      waiters.add(waiter);
      changed();
      return () => void waiters.delete(waiter);
    },
    onFinish(run) {
      cancels.delete(run.id);
      const fn = runFunctions.get(run.id);
      const onFailure = fn && optionsOf(fn).onFailure;
      if (run.status === "failed" && onFailure && run.error?.name !== "InngestHarnessTimeout" && !isClosed) {
        const event = normalize({
          name: "inngest/function.failed",
          data: { function_id: fn.id(fn["client"].id), run_id: run.id, error: run.error, event: run.event },
        });
        launch(failureFunctionOf(fn, onFailure), event, { failure: run.error });
      }
      changed();
    },
  };

  function failureFunctionOf(fn: InngestFunction.Any, onFailure: (...args: any[]) => unknown) {
    if (!failureFunctions.has(fn)) {
      const client = new Inngest({ id: fn["client"].id });
      failureFunctions.set(fn, client.createFunction({ id: `${fn.opts.id}-failure`, retries: 1 }, onFailure as never) as unknown as InngestFunction.Any);
    }
    return failureFunctions.get(fn)!;
  }

  function launch(fn: InngestFunction.Any, event: HarnessEvent, extra: { parentRunId?: string; failure?: HarnessRun["error"] } = {}) {
    const started = startRun({ fn, functionId: fn.opts.id, event, host, timeoutMs: options.runTimeoutMs ?? 15_000, ...extra });
    runs.push(started.run);
    runFunctions.set(started.run.id, fn);
    cancels.set(started.run.id, started.cancel);
    changed();
    return started;
  }

  function normalize(event: IncomingEvent): HarnessEvent {
    if (typeof event?.name !== "string" || !event.name) throw new Error(`an event needs a name: ${JSON.stringify(event)}`);
    return { id: event.id ?? randomUUID(), name: event.name, data: event.data ?? {}, ts: event.ts ?? Date.now(), ...(event.v && { v: event.v }) };
  }

  /** Delivers events the way the server does: waiters, then cancellations, then triggers. */
  function accept(incoming: IncomingEvent[]): string[] {
    if (isClosed) throw new Error("the Inngest harness is closed");
    return incoming.map((raw) => {
      const event = normalize(raw);
      if (seenEventIds.has(event.id)) return event.id; // Inngest drops a re-sent event id
      seenEventIds.add(event.id);
      events.push(event);
      for (const waiter of [...waiters]) {
        if (matchesEventName(waiter.eventName, event.name) && matchesExpression(waiter.expression, { event: waiter.triggerEvent, async: event })) {
          waiter.resolve(event);
        }
      }
      for (const run of runs.filter((candidate) => candidate.status === "running")) {
        const cancelOn = optionsOf(runFunctions.get(run.id)!).cancelOn ?? [];
        const isCancelled = cancelOn.some(({ event: cancelEvent, if: expression, match }) =>
          nameOf(cancelEvent) === event.name &&
          matchesExpression(match ? `event.${match} == async.${match}` : expression, { event: run.event, async: event }),
        );
        if (isCancelled) cancels.get(run.id)?.();
      }
      for (const fn of functions) {
        const { triggers = [], idempotency, id } = optionsOf(fn);
        const isTriggered = triggers.some((trigger) => {
          const name = nameOf(trigger.event);
          return name && matchesEventName(name, event.name) && matchesExpression(trigger.if, { event });
        });
        if (!isTriggered) continue;
        if (idempotency) {
          const key = `${id}:${safeKey(idempotency, event)}`;
          if (idempotencyKeys.has(key)) continue;
          idempotencyKeys.add(key);
        }
        launch(fn, event);
      }
      changed();
      return event.id;
    });
  }

  function safeKey(expression: string, event: HarnessEvent) {
    try {
      return evaluateKey(expression, event);
    } catch {
      return randomUUID(); // an unevaluable key never dedupes
    }
  }

  function findRun(filter: RunFilter) {
    const status = filter.status ?? "finished";
    return runs.find(
      (run) =>
        (!filter.functionId || run.functionId === filter.functionId) &&
        (status === "finished" ? run.status !== "running" : run.status === status) &&
        (!filter.where || filter.where(run)),
    );
  }

  /** Resolves with probe()'s first truthy value, checked on every change in the harness and every 10 ms. */
  function until<T>(probe: () => T | undefined | false, timeoutMs = 10_000, describe = "condition"): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value) (stop(), resolve(value));
      };
      const timer = setTimeout(() => {
        stop();
        const summary = runs.map((run) => `${run.functionId}:${run.status}${run.error ? ` (${run.error.message})` : ""}`).join(", ");
        reject(new Error(`Inngest harness: timed out after ${timeoutMs} ms waiting for ${describe}; runs: [${summary}]`));
      }, timeoutMs);
      const poll = setInterval(check, 10); // for conditions on state outside the harness
      const stop = () => (clearTimeout(timer), clearInterval(poll), listeners.delete(check));
      listeners.add(check);
      check();
    });
  }

  const server = await startFakeInngestEventApi({ onEvents: accept });

  return {
    /** Base URL of the Event API; point INNGEST_DEV (or INNGEST_BASE_URL) at it before the app's client loads. */
    eventApiUrl: server.url,
    /** Adds functions after creation, e.g. ones imported once INNGEST_DEV points here. */
    register(...added: InngestFunction.Any[]) {
      functions.push(...added);
    },
    /** Sends events as inngest.send would; resolves with their ids. */
    send: (payload: IncomingEvent | IncomingEvent[]) => host.send(payload).then(({ ids }) => ids),
    /** Every event received, in order. */
    events,
    /** Every run started, in order (nested invokes and onFailure runs included). */
    runs,
    waitForRun: (filter: RunFilter = {}) => until(() => findRun(filter), filter.timeoutMs, `a run matching ${JSON.stringify(filter)}`),
    until,
    async close() {
      isClosed = true;
      for (const cancel of [...cancels.values()]) cancel();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      waiters.clear();
      listeners.clear();
      await server.close();
    },
  };
}
