// One budget-guarded model call: reserve the worst case, call with retries, settle the
// actual cost (or release on failure). Every model call in the factory goes through here.
import { asSchema, generateText, type GenerateTextResult, type LanguageModel, type ModelMessage, type SystemModelMessage, type ToolSet } from "ai";
import { redactSecrets } from "../redact";
import { recordRunEvent } from "../runs/record-run-event";
import { reserveBudget, settleCall } from "./budget-guard";
import { computeCostUsd, computeWorstCaseUsd, readCallTokens, type CallTokens } from "./compute-cost";
import type { ModelPrice } from "./model-price";
import type { ModelRef } from "./model-ref";
import { describeModelError, withRetries, type RetryOptions } from "./with-retries";

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
  | { status: "ok"; result: GenerateTextResult<ToolSet, never, never>; tokens: CallTokens; costUsd: string; reservedUsd: string; latencyMs: number }
  | { status: "budget_exhausted"; reservedUsd: string };

/** A call that failed for good (after retries); the message is secret-free. */
export class ModelCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelCallError";
  }
}

const toolBytesCache = new WeakMap<ToolSet, number>();

/** Bytes of the tool definitions as the provider will see them (name, description, JSON schema). */
export function measureToolBytes(tools: ToolSet): number {
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

export async function callModel(input: CallModelInput): Promise<CallModelResult> {
  const reservedUsd = computeWorstCaseUsd({ promptBytes: measurePromptBytes(input), maxOutputTokens: input.maxOutputTokens, price: input.price });
  const callId = await reserveBudget({ runId: input.runId, amountUsd: reservedUsd, sessionId: input.sessionId, provider: input.modelRef.provider, model: input.modelRef.model });
  if (!callId) return { status: "budget_exhausted", reservedUsd };

  const accounting = { callId, runId: input.runId, sessionId: input.sessionId, taskId: input.taskId, provider: input.modelRef.provider, model: input.modelRef.model, reservedUsd };
  const startedAt = performance.now();
  let result: GenerateTextResult<ToolSet, never, never>;
  try {
    result = (await withRetries(
      (abortSignal) =>
        generateText({
          model: input.model,
          instructions: input.instructions,
          messages: input.messages,
          tools: input.tools,
          maxOutputTokens: input.maxOutputTokens,
          maxRetries: 0,
          abortSignal,
        }),
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
    )) as unknown as GenerateTextResult<ToolSet, never, never>;
  } catch (error) {
    const message = redactSecrets(describeModelError(error));
    const zero = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    await settleCall({ ...accounting, costUsd: "0", tokens: zero, latencyMs: performance.now() - startedAt, error: message });
    throw new ModelCallError(`Model call to ${input.modelRef.ref} failed: ${message}`, { cause: error });
  }
  const latencyMs = performance.now() - startedAt;
  const tokens = readCallTokens(result.usage);
  const costUsd = computeCostUsd(tokens, input.price);
  await settleCall({ ...accounting, costUsd, tokens, latencyMs, finishReason: result.finishReason });
  return { status: "ok", result, tokens, costUsd, reservedUsd, latencyMs };
}
