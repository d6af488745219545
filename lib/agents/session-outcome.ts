// The summary of a session that callers (workflows, the CLI, the benchmark) act on.
import { z } from "zod";
import { db } from "../db";
import { SessionStatus, StopReason } from "../generated/prisma/enums";
import { parseTranscript } from "./transcript";
import { deriveLoopState } from "./turn-metadata";

export type { StopReason };

/**
 * A session's outcome as it crosses a workflow step boundary (serialised to JSON by the
 * engine): validated on the way back in, never cast.
 */
export const sessionOutcomeSchema = z.object({
  sessionId: z.string(),
  isDone: z.boolean(),
  status: z.enum(SessionStatus),
  stopReason: z.enum(StopReason).nullable(),
  turns: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.string(),
  filesChanged: z.array(z.string()),
  result: z.unknown(),
  error: z.string().nullable(),
  lastCommitSha: z.string().nullable(),
});

export type SessionOutcome = z.infer<typeof sessionOutcomeSchema>;

export async function readSessionOutcome(sessionId: string): Promise<SessionOutcome> {
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } });
  return {
    sessionId,
    isDone: session.status !== "running",
    status: session.status,
    stopReason: session.stopReason,
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
