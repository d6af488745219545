// The summary of a session that callers (workflows, the CLI, the benchmark) act on.
import { db } from "../db";
import { parseTranscript } from "./transcript";
import { deriveLoopState } from "./turn-metadata";

export type StopReason = "finished" | "submitted" | "turn_limit" | "budget_exhausted" | "stuck" | "error";

export type SessionOutcome = {
  sessionId: string;
  isDone: boolean;
  status: "running" | "finished" | "stopped" | "failed";
  stopReason: StopReason | null;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: string;
  filesChanged: string[];
  result: unknown;
  error: string | null;
  lastCommitSha: string | null;
};

export async function readSessionOutcome(sessionId: string): Promise<SessionOutcome> {
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } });
  return {
    sessionId,
    isDone: session.status !== "running",
    status: session.status,
    stopReason: session.stopReason as StopReason | null,
    turns: session.turns,
    inputTokens: session.inputTokens,
    outputTokens: session.outputTokens,
    cacheReadTokens: session.cacheReadTokens,
    cacheWriteTokens: session.cacheWriteTokens,
    costUsd: session.costUsd.toFixed(10),
    filesChanged: deriveLoopState(parseTranscript(session.transcript, sessionId)).filesChanged,
    result: session.result,
    error: session.error,
    lastCommitSha: session.lastCommitSha,
  };
}
