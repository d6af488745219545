// One durable chunk of a session: up to K turns, then commit (and push) the workspace and
// save the transcript. A crash mid-chunk loses only that chunk: the next attempt restores
// the workspace to the last committed sha and continues from the saved transcript.
import type { LanguageModel, ModelMessage, SystemModelMessage } from "ai";
import { db } from "../db";
import { AppError } from "../errors";
import { releaseAbandonedReservations } from "../llm/budget-guard";
import { callModel, measurePromptBytes, ModelCallError } from "../llm/call-model";
import { createLanguageModel } from "../llm/create-language-model";
import { getModelPriceOrThrow } from "../llm/model-price";
import { parseModelRef } from "../llm/model-ref";
import type { RetryOptions } from "../llm/with-retries";
import { redactSecrets } from "../redact";
import { recordRunEvent } from "../runs/record-run-event";
import { buildToolSet } from "./build-tool-set";
import { createDefaultCheckpointer, defaultToolkit } from "./default-workspace";
import { executeToolCalls } from "./execute-tool-calls";
import { compactTranscript, type CompactionOptions } from "./manage-context";
import { redactDeep } from "./redact-transcript";
import { roleDefinitions } from "./roles/role-definitions";
import { readSessionOutcome, type SessionOutcome, type StopReason } from "./session-outcome";
import { deriveLoopState } from "./turn-metadata";
import type { WorkspaceCheckpointer, WorkspaceToolkit } from "./workspace-toolkit";

export type TurnReport = {
  turn: number;
  toolNames: string[];
  promptBytes: number;
  inputTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  costUsd: string;
  totalMs: number;
  modelMs: number;
  toolMs: number;
};

export type RunAgentSessionChunkOptions = {
  sessionId: string;
  workspace: string;
  /** Defaults to lib/agents/tools and lib/git. */
  toolkit?: WorkspaceToolkit;
  checkpointer?: WorkspaceCheckpointer;
  turnsPerChunk?: number;
  maxTurns?: number;
  noChangeTurnLimit?: number;
  maxOutputTokens?: number;
  maxToolOutputBytes?: number;
  commandTimeoutSec?: number;
  context?: Partial<CompactionOptions>;
  retry?: RetryOptions;
  /** Aborting stops the chunk at once, like a killed worker: nothing of the chunk is saved. */
  abortSignal?: AbortSignal;
  onTurn?: (report: TurnReport) => void;
  /** Test seam; production builds the model from the session's "provider:model". */
  languageModel?: LanguageModel;
};

const defaultCompaction: CompactionOptions = { budgetBytes: 120_000, targetBytes: 60_000, keepRecentTurns: 6 };

export async function runAgentSessionChunk(input: RunAgentSessionChunkOptions): Promise<SessionOutcome> {
  const options = { ...input, toolkit: input.toolkit ?? defaultToolkit, checkpointer: input.checkpointer ?? createDefaultCheckpointer() };
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: options.sessionId } });
  if (session.status !== "running") return readSessionOutcome(session.id);
  const role = roleDefinitions[session.role];
  const maxTurns = options.maxTurns ?? role.maxTurns;
  const noChangeTurnLimit = options.noChangeTurnLimit ?? role.noChangeTurnLimit;
  const compaction = { ...defaultCompaction, ...options.context };
  const modelRef = parseModelRef(session.model);
  const isAnthropic = modelRef.provider === "anthropic";

  let messages = session.transcript as unknown as ModelMessage[];
  let lastCommitSha = session.lastCommitSha ?? (await options.checkpointer.readHead(options.workspace));
  // Work after the last checkpoint belongs to a chunk that never saved its transcript.
  if (session.turns > 0) await options.checkpointer.restore(options.workspace, lastCommitSha);
  await releaseAbandonedReservations({ sessionId: session.id });

  let turns = session.turns;
  let stop: { reason: StopReason; error?: string; result?: unknown } | undefined;
  try {
    const price = await getModelPriceOrThrow(modelRef);
    const model = options.languageModel ?? createLanguageModel(modelRef);
    const tools = buildToolSet(role, options.toolkit.definitions);
    // The stable prefix: identical bytes on every call, marked for Anthropic's prompt cache.
    const instructions: SystemModelMessage = {
      role: "system",
      content: role.systemPrompt,
      ...(isAnthropic ? { providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } } } : {}),
    };

    for (let chunkTurn = 0; chunkTurn < (options.turnsPerChunk ?? 5) && !stop; chunkTurn++) {
      if (turns >= maxTurns) {
        stop = { reason: "turn_limit" };
        break;
      }
      const turnStartedAt = performance.now();
      messages = compactTranscript(messages, compaction);
      const prompt = isAnthropic ? addCacheBreakpoints(messages) : messages;
      const call = await callModel({
        runId: session.runId,
        sessionId: session.id,
        taskId: session.taskId,
        modelRef,
        model,
        price,
        instructions,
        messages: prompt,
        tools,
        maxOutputTokens: options.maxOutputTokens ?? role.maxOutputTokens,
        retry: { ...options.retry, abortSignal: options.abortSignal },
      });
      if (call.status === "budget_exhausted") {
        stop = { reason: "budget_exhausted", error: `The next call's worst case ($${call.reservedUsd}) does not fit in the run's remaining budget.` };
        break;
      }
      const executed = await executeToolCalls({
        role,
        toolCalls: call.result.toolCalls,
        toolkit: options.toolkit,
        workspace: options.workspace,
        commandTimeoutSec: options.commandTimeoutSec,
        maxToolOutputBytes: options.maxToolOutputBytes ?? 12_000,
        abortSignal: options.abortSignal,
        sessionId: session.id,
      });
      const assistantMessages = call.result.responseMessages.filter((message) => message.role === "assistant");
      messages = [...messages, ...assistantMessages, executed.closingMessage];
      turns += 1;

      const state = deriveLoopState(messages);
      if (executed.terminal) {
        stop = { reason: executed.terminal.tool === "finish" ? "finished" : "submitted", result: executed.terminal.input };
      } else if (state.recentSignatures.length === 3 && new Set(state.recentSignatures).size === 1) {
        stop = { reason: "stuck", error: `The same call was made 3 times in a row: ${state.recentSignatures[0].slice(0, 300)}` };
      } else if (noChangeTurnLimit && state.turnsWithoutChange >= noChangeTurnLimit) {
        stop = { reason: "stuck", error: `No file changed in the last ${state.turnsWithoutChange} turns.` };
      } else if (turns >= maxTurns) {
        stop = { reason: "turn_limit" };
      }
      options.onTurn?.({
        turn: turns,
        toolNames: call.result.toolCalls.map((toolCall) => toolCall.toolName),
        promptBytes: measurePromptBytes({ instructions, messages: prompt, tools }),
        inputTokens: call.tokens.inputTokens,
        cacheReadTokens: call.tokens.cacheReadTokens,
        outputTokens: call.tokens.outputTokens,
        costUsd: call.costUsd,
        totalMs: performance.now() - turnStartedAt,
        modelMs: call.latencyMs,
        toolMs: executed.toolMs,
      });
    }
  } catch (error) {
    if (options.abortSignal?.aborted) throw error;
    if (!(error instanceof ModelCallError) && !(error instanceof AppError)) throw error;
    stop = { reason: "error", error: redactSecrets(error.message) };
  }

  const sha = await options.checkpointer.commit(options.workspace, `factory(${role.role}): session ${session.id}, turn ${turns}`);
  if (sha && session.branch && options.checkpointer.push) await options.checkpointer.push(options.workspace, session.branch);
  lastCommitSha = sha ?? lastCommitSha;
  await saveChunk({ sessionId: session.id, runId: session.runId, fromTurns: session.turns, turns, messages, lastCommitSha, stop });
  return readSessionOutcome(session.id);
}

/** Marks the task message and the newest message, so each call reuses the previous call's cache. */
function addCacheBreakpoints(messages: ModelMessage[]): ModelMessage[] {
  const mark = (message: ModelMessage): ModelMessage =>
    ({ ...message, providerOptions: { ...message.providerOptions, anthropic: { cacheControl: { type: "ephemeral" } } } }) as ModelMessage;
  return messages.map((message, index) => (index === 0 || index === messages.length - 1 ? mark(message) : message));
}

async function saveChunk(input: {
  sessionId: string;
  runId: string;
  fromTurns: number;
  turns: number;
  messages: ModelMessage[];
  lastCommitSha: string;
  stop?: { reason: StopReason; error?: string; result?: unknown };
}): Promise<void> {
  const { stop } = input;
  const status = !stop ? "running" : stop.reason === "finished" || stop.reason === "submitted" ? "finished" : stop.reason === "error" ? "failed" : "stopped";
  await db.$transaction(async (tx) => {
    // Guards against a second worker having run the same chunk meanwhile.
    const updated = await tx.agentSession.updateMany({
      where: { id: input.sessionId, turns: input.fromTurns, status: "running" },
      data: {
        transcript: redactDeep(input.messages) as object[],
        turns: input.turns,
        lastCommitSha: input.lastCommitSha,
        status,
        stopReason: stop?.reason ?? null,
        error: stop?.error ?? null,
        ...(stop?.result !== undefined ? { result: redactDeep(stop.result) as object } : {}),
        ...(stop ? { finishedAt: new Date() } : {}),
      },
    });
    if (updated.count !== 1) throw new AppError("conflict", `Agent session ${input.sessionId} was advanced by another worker; this chunk's result is discarded.`);
    await recordRunEvent(
      {
        runId: input.runId,
        type: stop ? "agent.session.stopped" : "agent.session.chunk",
        payload: { sessionId: input.sessionId, turns: input.turns, commit: input.lastCommitSha, status, stopReason: stop?.reason ?? null, error: stop?.error ?? null },
      },
      tx,
    );
  });
}
