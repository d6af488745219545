import { createAgentSession } from "../agents/create-agent-session";
import { resolveModelForRole, type AgentRoleName } from "../llm/resolve-model";
import type { WorkContext } from "./load-work-context";

/** Starts a session of `role` with the model the run chose for it. */
export async function startRoleSession(options: {
  context: WorkContext;
  role: AgentRoleName;
  task: string;
  feedback?: { source: string; text: string }[];
  iteration?: number;
  branch: string | null;
}): Promise<string> {
  const model = resolveModelForRole({ role: options.role, runModels: options.context.run.models });
  const session = await createAgentSession({
    runId: options.context.run.id,
    taskId: options.context.task?.id ?? null,
    role: options.role,
    model: model.ref,
    task: options.task,
    context: options.feedback,
    iteration: options.iteration,
    branch: options.branch,
  });
  return session.id;
}

/** The task as the coder, tester, reviewer and fixer see it. */
export function describeTask(task: NonNullable<WorkContext["task"]>): string {
  const criteria = task.acceptanceCriteria.map((criterion) => `- ${criterion}`).join("\n");
  return `# ${task.title}\n\n${task.description}\n\n## Acceptance criteria\n${criteria}`;
}
