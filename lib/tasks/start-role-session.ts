import { createAgentSession } from "../agents/create-agent-session";
import { db } from "../db";
import { pickSessionModel, resolveModelLadder, type AgentRoleName } from "../llm/resolve-model";
import { recordRunEvent } from "../runs/record-run-event";
import { loadWorkContext, type TaskContext, type WorkContext } from "./load-work-context";

/**
 * Starts a session of `role` with the model the run chose for it: a best-of-N coder attempt
 * takes the coder list's models in turn; any other session climbs its role's ladder once
 * `iterationsWithoutConverging` reaches the run's escalateAfter (recorded as model.escalated).
 */
export async function startRoleSession(options: {
  context: WorkContext;
  role: AgentRoleName;
  task: string;
  feedback?: { source: string; text: string }[];
  iteration?: number;
  branch: string | null;
  /** Best-of-N attempt this session works (coder) or judges (reviewer). */
  attempt?: number | null;
  /** Iterations of this task that ended without converging before this session starts. */
  iterationsWithoutConverging?: number;
}): Promise<string> {
  const { context, role } = options;
  const ladder = resolveModelLadder({ role, runModels: context.run.models });
  const { model, rung } = pickSessionModel({
    ladder,
    attempt: options.attempt,
    iterationsWithoutConverging: options.iterationsWithoutConverging,
    escalateAfter: context.run.escalateAfter,
  });
  const task = context.task;
  // The role's previous session on this task tells whether this one moves up the ladder.
  const previous = task && rung > 0 && !options.attempt
    ? await db.agentSession.findFirst({ where: { taskId: task.id, role, followUpId: null, attempt: null }, orderBy: { startedAt: "desc" }, select: { model: true } })
    : null;
  const session = await createAgentSession({
    runId: context.run.id,
    taskId: task?.id ?? null,
    role,
    model: model.ref,
    task: options.task,
    context: options.feedback,
    iteration: options.iteration,
    branch: options.branch,
    attempt: options.attempt,
  });
  if (task && previous && previous.model !== model.ref) {
    await recordEscalation({ context, task, role, from: previous.model, to: model.ref, iteration: options.iteration ?? 0, sessionId: session.id, iterationsWithoutConverging: options.iterationsWithoutConverging ?? 0 });
  }
  return session.id;
}

/** model.escalated: where a role moved up its ladder, and what the task and the role had cost until then. */
async function recordEscalation(options: { context: WorkContext; task: TaskContext["task"]; role: AgentRoleName; from: string; to: string; iteration: number; sessionId: string; iterationsWithoutConverging: number }) {
  const task = options.task;
  const [taskRow, roleCost] = await Promise.all([
    db.task.findUniqueOrThrow({ where: { id: task.id }, select: { costUsd: true } }),
    db.agentSession.aggregate({ where: { taskId: task.id, role: options.role, followUpId: null }, _sum: { costUsd: true } }),
  ]);
  const escalateAfter = options.context.run.escalateAfter;
  await recordRunEvent({
    runId: options.context.run.id,
    type: "model.escalated",
    payload: {
      taskKey: task.key,
      role: options.role,
      from: options.from,
      to: options.to,
      iteration: options.iteration,
      escalateAfter,
      iterationsWithoutConverging: options.iterationsWithoutConverging,
      sessionId: options.sessionId,
      taskCostUsd: taskRow.costUsd.toFixed(6),
      roleCostUsd: (roleCost._sum.costUsd?.toNumber() ?? 0).toFixed(6),
      message: `${options.role} of ${task.key} moved from ${options.from} to ${options.to} at iteration ${options.iteration}, after ${options.iterationsWithoutConverging} iteration(s) without converging ($${taskRow.costUsd.toFixed(2)} spent on the task so far)`,
    },
  });
}

/** The task as the coder, tester, reviewer and fixer see it. */
export function describeTask(task: NonNullable<WorkContext["task"]>): string {
  const criteria = task.acceptanceCriteria.map((criterion) => `- ${criterion}`).join("\n");
  return `# ${task.title}\n\n${task.description}\n\n## Acceptance criteria\n${criteria}`;
}

/** Starts the planner on the run's spec; it reads the repository and submits tasks. */
export async function startPlanner(runId: string): Promise<string> {
  const context = await loadWorkContext({ runId });
  return startRoleSession({ context, role: "planner", task: `# ${context.run.title}\n\n${context.run.spec}`, branch: null });
}
