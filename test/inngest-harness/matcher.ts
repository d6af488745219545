// Decides which functions, waiters and cancellations an event reaches, the way the Inngest
// server does: by event name (with trailing `*` wildcards) and a CEL `if` expression.
import { evaluate } from "@marcbachmann/cel-js";

/** An event as the harness stores it: what the Event API would hold. */
export type HarnessEvent = { id: string; name: string; data: Record<string, unknown>; ts: number; v?: string };

/** `user/*` matches `user/signed.up`; anything else must match exactly. */
export function matchesEventName(pattern: string, name: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/**
 * Evaluates an Inngest expression. `event` is the run's triggering event, `async` the incoming
 * one (waitForEvent and cancelOn bind both). A missing field or a type error is "no match", as
 * on the server.
 */
export function matchesExpression(expression: string | undefined, bindings: { event: HarnessEvent; async?: HarnessEvent }): boolean {
  if (!expression) return true;
  try {
    return evaluate(expression, bindings) === true;
  } catch {
    return false;
  }
}

/** The value of a simple expression such as `event.data.runId`, for idempotency keys. */
export function evaluateKey(expression: string, event: HarnessEvent): string {
  return JSON.stringify(evaluate(expression, { event }), (_key, value) => (typeof value === "bigint" ? Number(value) : value));
}

const periods: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/** Milliseconds of an Inngest time string ("1h30m", "10s") or until an ISO date. */
export function durationMs(time: string | undefined, now = Date.now()): number | undefined {
  if (!time) return undefined;
  if (/^\d{4}-\d\d-\d\d/.test(time)) return Math.max(0, Date.parse(time) - now);
  let total = 0;
  for (const [, amount, unit] of time.matchAll(/(\d+)\s*(w|d|h|m|s)/g)) total += Number(amount) * periods[unit];
  return total;
}
