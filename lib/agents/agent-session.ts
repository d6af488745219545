// An agent session's life outside the loop: how it starts and the outcome callers act on.
import type { ModelMessage } from "ai";
import { z } from "zod";
import { db } from "@/lib/db";
import { SessionStatus, StopReason } from "@/lib/generated/prisma/enums";
import { getModelPriceOrThrow } from "@/lib/llm/model-price";
import { parseModelRef, type AgentRoleName } from "@/lib/llm/model-ref";
import { redactSecrets } from "@/lib/redact";
import { recordRunEvent } from "@/lib/runs/run-events";
import { buildTaskMessage, type TaskInput, parseTranscript, deriveLoopState } from "./transcript";

// Starts a session: checks the model has a price (refused before any call otherwise),
// stores the first message, and records where the workspace started.
export type CreateAgentSessionInput = TaskInput & {
  runId: string;
  taskId?: string | null;
  role: AgentRoleName;
  model: string;
  iteration?: number;
  branch?: string | null;
  /** HEAD of the workspace at the start; resume restores to the last committed sha. */
  startSha?: string | null;
  /** Set when the session answers a human review: its calls spend that FollowUp's budget, not the run's. */
  followUpId?: string | null;
  /** Best-of-N: which coder attempt (1-based) this session works or judges; null outside best-of-N. */
  attempt?: number | null;
};

export async function createAgentSession(input: CreateAgentSessionInput): Promise<{ id: string }> {
  const modelRef = parseModelRef(input.model);
  await getModelPriceOrThrow(modelRef);
  const firstMessage: ModelMessage = { role: "user", content: redactSecrets(buildTaskMessage(input.role, input)) };
  return db.$transaction(async (tx) => {
    const session = await tx.agentSession.create({
      data: {
        runId: input.runId,
        taskId: input.taskId ?? null,
        role: input.role,
        iteration: input.iteration ?? 0,
        model: modelRef.ref,
        transcript: [firstMessage] as object[],
        branch: input.branch ?? null,
        lastCommitSha: input.startSha ?? null,
        followUpId: input.followUpId ?? null,
        attempt: input.attempt ?? null,
      },
      select: { id: true },
    });
    await recordRunEvent({ runId: input.runId, type: "agent.session.started", payload: { sessionId: session.id, role: input.role, model: modelRef.ref, taskId: input.taskId ?? null, followUpId: input.followUpId ?? null, ...(input.attempt ? { attempt: input.attempt } : {}) } }, tx);
    return session;
  });
}

// The summary of a session that callers (workflows, the CLI, the benchmark) act on.
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
