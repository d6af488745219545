import { createDefaultCheckpointer } from "../agents/default-workspace";
import { runAgentSessionChunk } from "../agents/run-agent-session-chunk";
import type { SessionOutcome } from "../agents/session-outcome";
import { db } from "../db";
import { buildBranchName } from "../git/build-branch-name";
import { loadWorkContext } from "./load-work-context";
import { openSessionWorkspace } from "./open-session-workspace";

/**
 * One durable chunk of a session, as one workflow step: refresh the session's workspace from
 * its branch, run a few turns, commit and push (writer roles) and save the transcript.
 */
export async function runSessionChunk(options: { sessionId: string }): Promise<SessionOutcome> {
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: options.sessionId }, select: { runId: true, taskId: true, branch: true, attempt: true } });
  const context = await loadWorkContext({ runId: session.runId, taskId: session.taskId ?? undefined });
  // Sessions without a branch of their own (planner, reviewer) work on a local branch never
  // pushed: the task's, or for a reviewer judging a best-of-N attempt, that attempt's.
  const readOnlyBranch = context.task && session.attempt ? buildBranchName({ runId: context.run.id, taskKey: context.task.key, attempt: session.attempt }) : context.task?.branch;
  const branch = session.branch ?? (readOnlyBranch || buildBranchName({ runId: context.run.id, taskKey: "plan" }));
  const workspace = await openSessionWorkspace({ repository: context.repository, workspaceKey: options.sessionId, branch });
  return runAgentSessionChunk({
    sessionId: options.sessionId,
    workspace: workspace.workspace,
    checkpointer: createDefaultCheckpointer({ allowWorkflowChanges: context.run.allowWorkflowChanges, token: workspace.token }),
  });
}
