// Retries transient model failures: 429 (honouring retry-after), 408/409/5xx, timeouts and
// dropped connections. Our own loop rather than the AI SDK's maxRetries: that one honours
// retry-after too, but its 2 s first delay is fixed and a timed-out attempt is not retried.
import { APICallError } from "ai";

export type RetryOptions = {
  maxRetries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void | Promise<void>;
};

export class ModelTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`model call timed out after ${timeoutMs} ms`);
    this.name = "ModelTimeoutError";
  }
}

export function isRetryableModelError(error: unknown): boolean {
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
export async function withRetries<T>(attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
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
export function describeModelError(error: unknown): string {
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
