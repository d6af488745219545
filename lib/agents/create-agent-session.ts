// Starts a session: checks the model has a price (refused before any call otherwise),
// stores the first message, and records where the workspace started.
import type { ModelMessage } from "ai";
import { db } from "../db";
import { getModelPriceOrThrow } from "../llm/model-price";
import { parseModelRef } from "../llm/model-ref";
import type { AgentRoleName } from "../llm/resolve-model";
import { redactSecrets } from "../redact";
import { recordRunEvent } from "../runs/record-run-event";
import { buildTaskMessage, type TaskInput } from "./build-task-message";

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
