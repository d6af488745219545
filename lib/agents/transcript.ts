// A session's messages: the first task message, turn bookkeeping, and
// the stored transcript (validated on load, redacted before it is stored or logged).
import { modelMessageSchema, type ModelMessage } from "ai";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AgentRoleName } from "@/lib/llm/model-ref";
import { redactSecrets } from "@/lib/redact";
import { roleDefinitions, wrapUntrusted } from "./roles";

// A session's transcript as stored in AgentSession.transcript (JSONB): validated against the
// AI SDK's own message schema when loaded, so a malformed row fails loudly here instead of
// deep inside a model call.
const transcriptSchema = z.array(modelMessageSchema);

/** The stored transcript, or an error naming the session and the first bad message. */
export function parseTranscript(stored: Prisma.JsonValue, sessionId: string): ModelMessage[] {
  const parsed = transcriptSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError("internal", `Session ${sessionId} has a malformed transcript at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`, { isRetryable: false });
}

/** For display: the messages that parse, skipping any that do not, so one bad row never hides a page. */
export function readDisplayableTranscript(stored: Prisma.JsonValue): ModelMessage[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((message) => {
    const parsed = modelMessageSchema.safeParse(message);
    return parsed.success ? [parsed.data] : [];
  });
}


// The first user message of a session: the task, and any feedback (test output, review
// comments), all wrapped as untrusted data. It stays first and unchanged for the whole session.
export type TaskInput = {
  /** The spec (planner) or the task: title, description, acceptance criteria. */
  task: string;
  /** Extra material for the role: failing test output, review comments, the diff to review. */
  context?: { source: string; text: string }[];
};

export function buildTaskMessage(role: AgentRoleName, input: TaskInput): string {
  const parts = [`Your ${role === "planner" ? "spec to plan" : "task"}:`, wrapUntrusted("task", input.task)];
  for (const item of input.context ?? []) parts.push(`${item.source}:`, wrapUntrusted(item.source, item.text));
  parts.push(`When you are done, call ${roleDefinitions[role].terminalTool}.`);
  return parts.join("\n\n");
}

// Loop bookkeeping rides along in the transcript itself (providerOptions.factory on the
// message closing each turn; providers ignore keys not their own), so a resumed session
// on any machine sees the same stuck counters and changed files without extra columns.
/** `checkpoint`: the commit holding the workspace as this turn left it (saved with the turn). */
export type TurnMetadata = { signature: string; changedFiles: string[]; checkpoint?: string };
/** Compaction always keeps the last few turns whole, so signatures need not be carried over. */
export type CompactionMetadata = { compactedTurns: number; filesChanged: string[]; turnsWithoutChange: number };

export type LoopState = { turnsWithoutChange: number; recentSignatures: string[]; filesChanged: string[] };

export function readTurnMetadata(message: ModelMessage): TurnMetadata | undefined {
  const factory = message.providerOptions?.factory as Partial<TurnMetadata & { compactedTurns: number }> | undefined;
  if (!factory || typeof factory.signature !== "string") return undefined;
  return { signature: factory.signature, changedFiles: factory.changedFiles ?? [], ...(typeof factory.checkpoint === "string" ? { checkpoint: factory.checkpoint } : {}) };
}

export function readCompactionMetadata(message: ModelMessage): CompactionMetadata | undefined {
  const factory = message.providerOptions?.factory as Partial<CompactionMetadata> | undefined;
  return factory && typeof factory.compactedTurns === "number" ? (factory as CompactionMetadata) : undefined;
}

/** Recomputes the stuck counters and the changed-file list from a transcript. */
export function deriveLoopState(messages: ModelMessage[]): LoopState {
  const files = new Set<string>();
  const signatures: string[] = [];
  let turnsWithoutChange = 0;
  let isCountingNoChange = true;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    const turn = readTurnMetadata(message);
    if (turn) {
      turn.changedFiles.forEach((file) => files.add(file));
      if (signatures.length < 3) signatures.unshift(turn.signature);
      if (isCountingNoChange && turn.changedFiles.length === 0) turnsWithoutChange += 1;
      else isCountingNoChange = false;
      continue;
    }
    const compaction = readCompactionMetadata(message);
    if (compaction) {
      compaction.filesChanged.forEach((file) => files.add(file));
      if (isCountingNoChange) turnsWithoutChange += compaction.turnsWithoutChange;
      break;
    }
  }
  return { turnsWithoutChange, recentSignatures: signatures, filesChanged: [...files].sort() };
}

// Transcripts are stored and logged only after every string in them has been redacted.
/** Deep copy with every string redacted (works on JSON text inside strings too). */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)])) as T;
  }
  return value;
}
