// The first user message of a session: the task, and any feedback (test output, review
// comments), all wrapped as untrusted data. It stays first and unchanged for the whole session.
import type { AgentRoleName } from "../llm/resolve-model";
import { roleDefinitions } from "./roles/role-definitions";
import { wrapUntrusted } from "./untrusted";

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
