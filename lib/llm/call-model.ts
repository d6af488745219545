// One model call: budget reservation, retries of transient failures, and cost settlement.
import { APICallError, asSchema, generateText, type GenerateTextResult, type LanguageModel, type LanguageModelUsage, type ModelMessage, type SystemModelMessage, type ToolSet } from "ai";
import { AppError } from "@/lib/errors";
import { redactSecrets } from "@/lib/redact";
import { recordRunEvent } from "@/lib/runs/run-events";
import { chargeCallAtReservation, reserveBudget, settleCall, type SettleCallInput } from "./budget-guard";
import { computeCostUsd, computeWorstCaseUsd, readCallTokens, type CallTokens, type ModelPrice } from "./model-price";
import type { ModelRef } from "./model-ref";

// Retries transient model failures: 429 (honouring retry-after), 408/409/5xx, timeouts and
// dropped connections. Our own loop rather than the AI SDK's maxRetries: that one honours
// retry-after too, but its 2 s first delay is fixed and a timed-out attempt is not retried.
export type RetryOptions = {
  maxRetries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void | Promise<void>;
};

class ModelTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`model call timed out after ${timeoutMs} ms`);
    this.name = "ModelTimeoutError";
  }
}

function isRetryableModelError(error: unknown): boolean {
  if (error instanceof ModelTimeoutError) return true;
  if (APICallError.isInstance(error)) return error.isRetryable;
  const cause = (error as { cause?: unknown })?.cause;
  return APICallError.isInstance(cause) ? cause.isRetryable : false;
}

function retryAfterMs(error: unknown): number | undefined {
  const apiError = APICallError.isInstance(error) ? error : APICallError.isInstance((error as { cause?: unknown })?.cause) ? ((error as { cause: APICallError }).cause) : undefined;
  const headers = apiError?.responseHeaders;
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers["retry-after-ms"] ?? "");
  if (Number.isFinite(ms)) return ms;
  const value = headers["retry-after"];
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  return Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
}

/** `attempt` gets each try's abort signal (with its own timeout) and its 1-based number. */
async function withRetries<T>(attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 4;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 300_000;
  for (let attemptNumber = 0; ; attemptNumber++) {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
    try {
      return await attempt(signal, attemptNumber + 1);
    } catch (caught) {
      const error = timeout.aborted && !options.abortSignal?.aborted ? new ModelTimeoutError(timeoutMs) : caught;
      if (attemptNumber >= maxRetries || !isRetryableModelError(error) || options.abortSignal?.aborted) throw error;
      const backoff = Math.min(maxDelayMs, initialDelayMs * 2 ** attemptNumber) * (0.8 + Math.random() * 0.4);
      const requested = retryAfterMs(error);
      const delayMs = requested !== undefined && requested >= 0 && requested <= maxDelayMs ? requested : backoff;
      await options.onRetry?.({ attempt: attemptNumber + 1, delayMs, reason: describeModelError(error) });
      await sleep(delayMs, options.abortSignal);
    }
  }
}

/** A short reason for a failed call, without response bodies that might echo a prompt. */
function describeModelError(error: unknown): string {
  if (APICallError.isInstance(error)) {
    return `${error.statusCode ? `HTTP ${error.statusCode}: ` : ""}${error.message}`.slice(0, 500);
  }
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// One budget-guarded model call: every attempt (the first and each retry) reserves its own
// worst case, calls, and settles its own LlmCall row: the actual cost when the provider
// reported usage, nothing when the provider refused the request outright, and the reservation
// itself when the provider may have billed a call whose usage we never saw (timeout, dropped
// connection, a settle that failed). Every model call in the factory goes through here.
export type CallModelInput = {
  runId: string;
  sessionId?: string;
  taskId?: string | null;
  modelRef: ModelRef;
  model: LanguageModel;
  price: ModelPrice;
  instructions: SystemModelMessage;
  messages: ModelMessage[];
  tools: ToolSet;
  maxOutputTokens: number;
  retry?: RetryOptions;
};

export type CallModelResult =
  | { status: "ok"; result: GenerateTextResult<ToolSet, never, never>; tokens: CallTokens; costUsd: string; reservedUsd: string; latencyMs: number; attempts: number }
  | { status: "budget_exhausted"; reservedUsd: string };

/** A call that failed for good (after retries); the message is secret-free. */
export class ModelCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelCallError";
  }
}

/**
 * Recording a finished call failed (the database is unreachable): the call is charged at its
 * reservation where possible, and the step should be retried, not the session failed.
 */
class CallAccountingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CallAccountingError";
  }
}

class BudgetExhausted extends Error {}

const toolBytesCache = new WeakMap<ToolSet, number>();

/** Bytes of the tool definitions as the provider will see them (name, description, JSON schema). */
function measureToolBytes(tools: ToolSet): number {
  const cached = toolBytesCache.get(tools);
  if (cached !== undefined) return cached;
  const definitions = Object.entries(tools).map(([name, tool]) => ({
    name,
    description: tool.description,
    parameters: asSchema(tool.inputSchema).jsonSchema,
  }));
  const bytes = Buffer.byteLength(JSON.stringify(definitions));
  toolBytesCache.set(tools, bytes);
  return bytes;
}

export function measurePromptBytes(input: Pick<CallModelInput, "instructions" | "messages" | "tools">): number {
  return Buffer.byteLength(JSON.stringify([input.instructions, input.messages])) + measureToolBytes(input.tools);
}

const zeroTokens: CallTokens = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export async function callModel(input: CallModelInput): Promise<CallModelResult> {
  const reservedUsd = computeWorstCaseUsd({ promptBytes: measurePromptBytes(input), maxOutputTokens: input.maxOutputTokens, price: input.price });
  const accounting = { runId: input.runId, sessionId: input.sessionId, taskId: input.taskId, provider: input.modelRef.provider, model: input.modelRef.model, reservedUsd };
  try {
    return await withRetries(
      async (abortSignal, attempt) => {
        const callId = await reserveBudget({ runId: input.runId, amountUsd: reservedUsd, sessionId: input.sessionId, provider: input.modelRef.provider, model: input.modelRef.model, attempt });
        if (!callId) throw new BudgetExhausted();
        const startedAt = performance.now();
        let result: GenerateTextResult<ToolSet, never, never>;
        try {
          result = await generateText({
            model: input.model,
            instructions: input.instructions,
            messages: input.messages,
            tools: input.tools,
            maxOutputTokens: input.maxOutputTokens,
            maxRetries: 0,
            abortSignal,
          });
        } catch (error) {
          const billing = billFailedAttempt(error, { reservedUsd, price: input.price });
          await settleOrCharge({
            ...accounting,
            callId,
            ...billing,
            latencyMs: performance.now() - startedAt,
            error: redactSecrets(`attempt ${attempt}: ${describeModelError(error)}${billing.note}`),
          });
          throw error;
        }
        const latencyMs = performance.now() - startedAt;
        const tokens = readCallTokens(result.usage);
        const costUsd = computeCostUsd(tokens, input.price);
        await settleOrCharge({ ...accounting, callId, costUsd, tokens, latencyMs, finishReason: result.finishReason });
        return { status: "ok" as const, result, tokens, costUsd, reservedUsd, latencyMs, attempts: attempt };
      },
      {
        ...input.retry,
        // Visible in the run's progress stream, so a rate-limited run does not look stalled.
        onRetry: async (info) => {
          await input.retry?.onRetry?.(info);
          await recordRunEvent({
            runId: input.runId,
            type: "llm.call.retry",
            payload: { sessionId: input.sessionId ?? null, model: input.modelRef.ref, attempt: info.attempt, delayMs: Math.round(info.delayMs), reason: redactSecrets(info.reason) },
          });
        },
      },
    );
  } catch (error) {
    if (error instanceof BudgetExhausted) return { status: "budget_exhausted", reservedUsd };
    if (error instanceof AppError || error instanceof CallAccountingError) throw error;
    const message = redactSecrets(describeModelError(error));
    throw new ModelCallError(`Model call to ${input.modelRef.ref} failed: ${message}`, { cause: error });
  }
}

/**
 * What a failed attempt costs. Reported usage is priced as usual. An HTTP error answer, or a
 * connection that never opened, means the provider refused or never saw the request: nothing.
 * Anything else (our timeout, a dropped connection, an unreadable answer) may have been
 * billed with no usage seen, so the reservation, the worst case, is charged.
 */
function billFailedAttempt(error: unknown, options: { reservedUsd: string; price: ModelPrice }): Pick<SettleCallInput, "costUsd" | "tokens" | "isChargedAtReservation"> & { note: string } {
  const usage = findReportedUsage(error);
  if (usage) {
    const tokens = readCallTokens(usage);
    return { costUsd: computeCostUsd(tokens, options.price), tokens, note: "" };
  }
  const apiError = findInChain(error, (candidate) => APICallError.isInstance(candidate)) as APICallError | undefined;
  if (apiError?.statusCode) return { costUsd: "0", tokens: zeroTokens, note: " (the provider answered with an error: not billed)" };
  const code = findInChain(error, (candidate) => typeof (candidate as { code?: unknown }).code === "string") as { code: string } | undefined;
  if (code && ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(code.code)) {
    return { costUsd: "0", tokens: zeroTokens, note: " (the request never reached the provider: not billed)" };
  }
  return { costUsd: options.reservedUsd, tokens: zeroTokens, isChargedAtReservation: true, note: "; charged at its reservation, since the provider may have billed it" };
}

function findReportedUsage(error: unknown): LanguageModelUsage | undefined {
  const carrier = findInChain(error, (candidate) => {
    const usage = (candidate as { usage?: { inputTokens?: unknown; outputTokens?: unknown } }).usage;
    return typeof usage?.inputTokens === "number" || typeof usage?.outputTokens === "number";
  }) as { usage: LanguageModelUsage } | undefined;
  return carrier?.usage;
}

function findInChain(error: unknown, matches: (candidate: object) => boolean): object | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    if (matches(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Settles the attempt; if that fails, charges its reservation so nothing is left unaccounted. */
async function settleOrCharge(input: SettleCallInput): Promise<void> {
  try {
    await settleCall(input);
  } catch (settleError) {
    const reason = `recording its cost failed (${describeModelError(settleError).slice(0, 200)})`;
    // If this fails too, the row stays in flight and the session's next chunk charges it.
    await chargeCallAtReservation({ callId: input.callId, reason }).catch(() => {});
    throw new CallAccountingError(`Model call ${input.callId} finished but ${reason}; it is charged at its reservation.`, { cause: settleError });
  }
}
