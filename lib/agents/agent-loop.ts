// The agent loop: one durable chunk of turns at a time, or a whole session for the CLI and tests.
import type { LanguageModel, ModelMessage, SystemModelMessage } from "ai";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { releaseAbandonedReservations } from "@/lib/llm/budget-guard";
import { callModel, measurePromptBytes, ModelCallError, type RetryOptions } from "@/lib/llm/call-model";
import { createLanguageModel } from "@/lib/llm/language-model";
import { getModelPriceOrThrow } from "@/lib/llm/model-price";
import { parseModelRef } from "@/lib/llm/model-ref";
import { redactSecrets } from "@/lib/redact";
import { recordRunEvent } from "@/lib/runs/run-events";
import { readSessionOutcome, type SessionOutcome, type StopReason } from "./agent-session";
import { executeToolCalls } from "./execute-tool-calls";
import { canonicalizeTranscript, compactTranscript, type CompactionOptions } from "./manage-context";
import { roleDefinitions } from "./roles";
import { redactDeep, parseTranscript, deriveLoopState, readTurnMetadata } from "./transcript";
import { buildToolSet, createDefaultCheckpointer, defaultToolkit, type WorkspaceCheckpointer, type WorkspaceToolkit } from "./workspace-toolkit";

// One durable chunk of a session: up to K turns. Every turn is saved as it completes: its
// file changes committed locally, then the transcript, the turn count and that commit sha in
// the database. A crash loses at most the turn in flight, and model calls already made are
// never paid again. At the end of the chunk the branch is pushed, always AFTER the save, so
// a crash between the two resumes from the saved sha and pushes it (a fast-forward), instead
// of rebuilding a diverging commit. Transcripts are kept in canonical JSON (sorted keys), so
// the JSONB round trip at chunk boundaries leaves the prompt's bytes, and the provider's
// prefix cache, intact.
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
  /** Saving the turn (transcript and commit sha) to the database. */
  saveMs: number;
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

/** Turns per durable chunk: a crash loses at most the current turn, a chunk ends in a push. */
export const defaultTurnsPerChunk = 5;
/** budgetBytes is the transcript size past which old turns are compacted away. */
export const defaultCompaction: CompactionOptions = { budgetBytes: 120_000, targetBytes: 60_000, keepRecentTurns: 6 };

export async function runAgentSessionChunk(input: RunAgentSessionChunkOptions): Promise<SessionOutcome> {
  const options = { ...input, toolkit: input.toolkit ?? defaultToolkit, checkpointer: input.checkpointer ?? createDefaultCheckpointer() };
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: options.sessionId } });
  if (session.status !== "running") {
    // A retry after the final save: its push may not have happened.
    await pushSavedCheckpoint(options, session);
    return readSessionOutcome(session.id);
  }
  const role = roleDefinitions[session.role];
  const maxTurns = options.maxTurns ?? role.maxTurns;
  const noChangeTurnLimit = options.noChangeTurnLimit ?? role.noChangeTurnLimit;
  const compaction = { ...defaultCompaction, ...options.context };
  const modelRef = parseModelRef(session.model);
  const isAnthropic = modelRef.provider === "anthropic";

  const headAtStart = await options.checkpointer.readHead(options.workspace);
  const resumed = await resumePoint(options, {
    messages: canonicalizeTranscript(parseTranscript(session.transcript, session.id)),
    turns: session.turns,
    lastCommitSha: session.lastCommitSha ?? headAtStart,
  });
  let { messages, turns, lastCommitSha } = resumed;
  await releaseAbandonedReservations({ sessionId: session.id });

  const saved = { turns: session.turns, isStopSaved: false };
  const save = async (stop?: Stop) => {
    await saveProgress({ sessionId: session.id, runId: session.runId, fromTurns: saved.turns, turns, messages, lastCommitSha, stop });
    saved.turns = turns;
    saved.isStopSaved = stop !== undefined;
  };
  let stop: Stop | undefined;
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

    for (let chunkTurn = 0; chunkTurn < (options.turnsPerChunk ?? defaultTurnsPerChunk) && !stop; chunkTurn++) {
      if (turns >= maxTurns) {
        stop = { reason: "turn_limit" };
        break;
      }
      const turnStartedAt = performance.now();
      const compacted = compactTranscript(messages, compaction);
      if (compacted !== messages) messages = canonicalizeTranscript(compacted);
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
      // The turn's checkpoint: its changes committed locally (cheap; no push), its sha in the turn's metadata.
      // run_command reports what it changed too (git status before and after), so a turn without changes skips the commit.
      if (executed.changedFiles.length > 0) {
        lastCommitSha = (await options.checkpointer.commit(options.workspace, `factory(${role.role}): session ${session.id}, turn ${turns + 1}`)) ?? lastCommitSha;
      }
      const assistantMessages = call.result.responseMessages.filter((message) => message.role === "assistant");
      const closingMessage = withCheckpoint(executed.closingMessage, lastCommitSha);
      messages = [...messages, ...canonicalizeTranscript(redactDeep([...assistantMessages, closingMessage]))];
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
      const saveStartedAt = performance.now();
      // A crash from here on loses nothing of this turn: its call is paid once, its work kept.
      await save(stop);
      const savedAt = performance.now();
      options.onTurn?.({
        turn: turns,
        toolNames: call.result.toolCalls.map((toolCall) => toolCall.toolName),
        promptBytes: measurePromptBytes({ instructions, messages: prompt, tools }),
        inputTokens: call.tokens.inputTokens,
        cacheReadTokens: call.tokens.cacheReadTokens,
        outputTokens: call.tokens.outputTokens,
        costUsd: call.costUsd,
        totalMs: savedAt - turnStartedAt,
        modelMs: call.latencyMs,
        toolMs: executed.toolMs,
        saveMs: savedAt - saveStartedAt,
      });
    }
  } catch (error) {
    if (options.abortSignal?.aborted) throw error;
    if (!(error instanceof ModelCallError) && !(error instanceof AppError)) throw error;
    stop = { reason: "error", error: redactSecrets(error.message) };
  }

  // Work the model did not see committed (nothing, normally) still belongs to the last turn.
  lastCommitSha = (await options.checkpointer.commit(options.workspace, `factory(${role.role}): session ${session.id}, turn ${turns}`)) ?? lastCommitSha;
  // Saved before pushed: the database never points behind the branch.
  await saveProgress({ sessionId: session.id, runId: session.runId, fromTurns: saved.turns, turns, messages, lastCommitSha, stop, isChunkEnd: true, isStopSaved: saved.isStopSaved });
  if (session.branch && options.checkpointer.push && lastCommitSha !== headAtStart) {
    await options.checkpointer.push(options.workspace, session.branch);
  }
  return readSessionOutcome(session.id);
}

type Stop = { reason: StopReason; error?: string; result?: unknown };

/**
 * Where a resumed chunk starts: the saved turn and its commit. A worker without that commit
 * (the chunk's turns were committed on a machine that died before pushing) goes back to the
 * newest turn whose commit it has, so the transcript and the workspace always agree.
 */
async function resumePoint(
  options: { workspace: string; checkpointer: WorkspaceCheckpointer },
  saved: { messages: ModelMessage[]; turns: number; lastCommitSha: string },
): Promise<{ messages: ModelMessage[]; turns: number; lastCommitSha: string }> {
  if (saved.turns === 0) return saved;
  const { checkpointer, workspace } = options;
  const hasCommit = (sha: string) => (checkpointer.hasCommit ? checkpointer.hasCommit(workspace, sha) : Promise.resolve(true));
  if (await hasCommit(saved.lastCommitSha)) {
    // Work after the last saved turn belongs to a turn that never completed.
    await checkpointer.restore(workspace, saved.lastCommitSha);
    return saved;
  }
  let turns = saved.turns;
  for (let index = saved.messages.length - 1; index > 0; index--) {
    const turn = readTurnMetadata(saved.messages[index]);
    if (!turn) continue;
    if (turn.checkpoint && (await hasCommit(turn.checkpoint))) {
      await checkpointer.restore(workspace, turn.checkpoint);
      return { messages: saved.messages.slice(0, index + 1), turns, lastCommitSha: turn.checkpoint };
    }
    turns -= 1;
  }
  // No turn's commit is here (or the transcript predates per-turn checkpoints): keep the
  // transcript and work from what the branch holds.
  const head = await checkpointer.readHead(workspace);
  return { ...saved, lastCommitSha: head };
}

/** Pushes a stopped session's saved commit if a crash came between its save and its push. */
async function pushSavedCheckpoint(
  options: { workspace: string; checkpointer: WorkspaceCheckpointer },
  session: { branch: string | null; lastCommitSha: string | null },
): Promise<void> {
  const { checkpointer, workspace } = options;
  if (!session.branch || !session.lastCommitSha || !checkpointer.push) return;
  if ((await checkpointer.readHead(workspace)) === session.lastCommitSha) return;
  if (checkpointer.hasCommit && !(await checkpointer.hasCommit(workspace, session.lastCommitSha))) return;
  await checkpointer.restore(workspace, session.lastCommitSha);
  await checkpointer.push(workspace, session.branch);
}

function withCheckpoint(message: ModelMessage, checkpoint: string): ModelMessage {
  const factory = message.providerOptions?.factory;
  return factory ? ({ ...message, providerOptions: { ...message.providerOptions, factory: { ...factory, checkpoint } } } as ModelMessage) : message;
}

/** Marks the task message and the newest message, so each call reuses the previous call's cache. */
function addCacheBreakpoints(messages: ModelMessage[]): ModelMessage[] {
  const mark = (message: ModelMessage): ModelMessage =>
    ({ ...message, providerOptions: { ...message.providerOptions, anthropic: { cacheControl: { type: "ephemeral" } } } }) as ModelMessage;
  return messages.map((message, index) => (index === 0 || index === messages.length - 1 ? mark(message) : message));
}

async function saveProgress(input: {
  sessionId: string;
  runId: string;
  fromTurns: number;
  turns: number;
  messages: ModelMessage[];
  lastCommitSha: string;
  stop?: Stop;
  /** The chunk's last save: records the chunk (or stop) event. */
  isChunkEnd?: boolean;
  /** The stop was already saved with the last turn; only the event is left to record. */
  isStopSaved?: boolean;
}): Promise<void> {
  const { stop } = input;
  const status = !stop ? "running" : stop.reason === "finished" || stop.reason === "submitted" ? "finished" : stop.reason === "error" ? "failed" : "stopped";
  await db.$transaction(async (tx) => {
    // Guards against a second worker having advanced the session meanwhile.
    const updated = await tx.agentSession.updateMany({
      where: { id: input.sessionId, turns: input.fromTurns, ...(input.isStopSaved ? {} : { status: "running" }) },
      data: {
        // Already redacted and canonical, turn by turn.
        transcript: input.messages as object[],
        turns: input.turns,
        lastCommitSha: input.lastCommitSha,
        status,
        stopReason: stop?.reason ?? null,
        error: stop?.error ?? null,
        ...(stop?.result !== undefined ? { result: redactDeep(stop.result) as object } : {}),
        ...(stop && !input.isStopSaved ? { finishedAt: new Date() } : {}),
      },
    });
    if (updated.count !== 1) throw new AppError("conflict", `Agent session ${input.sessionId} was advanced by another worker; this chunk's result is discarded.`);
    if (!input.isChunkEnd) return;
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

// Runs a session to its end, one chunk after another. A workflow calls runAgentSessionChunk
// once per durable step instead; this is for the CLI, the benchmark and tests.
export async function runAgentSession(options: RunAgentSessionChunkOptions & { onChunk?: (outcome: SessionOutcome) => void }): Promise<SessionOutcome> {
  for (;;) {
    const outcome = await runAgentSessionChunk(options);
    options.onChunk?.(outcome);
    if (outcome.isDone) return outcome;
  }
}
