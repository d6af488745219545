// The agent runtime's public surface, for workflows and scripts.
export { buildTaskMessage, type TaskInput } from "./build-task-message";
export { createAgentSession, type CreateAgentSessionInput } from "./create-agent-session";
export { createDefaultCheckpointer, defaultToolkit } from "./default-workspace";
export { agentRoleNames, roleDefinitions, type RoleDefinition } from "./roles/role-definitions";
export { runAgentSession } from "./run-agent-session";
export { runAgentSessionChunk, type RunAgentSessionChunkOptions, type TurnReport } from "./run-agent-session-chunk";
export { readSessionOutcome, type SessionOutcome, type StopReason } from "./session-outcome";
export { submitPlanInput, submitReviewInput, finishInput, type SubmitPlanResult, type SubmitReviewResult, type FinishResult } from "./terminal-tools";
export { wrapUntrusted } from "./untrusted";
export type { WorkspaceCheckpointer, WorkspaceToolkit } from "./workspace-toolkit";
