// Role sessions of a task: loading its context, opening a workspace, starting and advancing a session.
import { runAgentSessionChunk } from "@/lib/agents/agent-loop";
import { createAgentSession, type SessionOutcome } from "@/lib/agents/agent-session";
import { roleDefinitions } from "@/lib/agents/roles";
import { createDefaultCheckpointer } from "@/lib/agents/workspace-toolkit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { buildBranchName } from "@/lib/git/branches";
import { runGit } from "@/lib/git/run-git";
import { openSessionWorkspace } from "@/lib/github/repository";
import { pickSessionModel, resolveModelLadder } from "@/lib/llm/language-model";
import type { AgentRoleName } from "@/lib/llm/model-ref";
import { resolveRunCommands } from "@/lib/repositories/repository-profile";
import { recordRunEvent } from "@/lib/runs/run-events";
import { setUpWorkspaceOnce } from "@/lib/testing/run-tests";

// What every workflow step of a run needs to know, loaded by id: the run, its repository and
// its resolved commands, and (for a task's steps) the task. The …OrThrow fetchers return
// non-optional data, so step code never checks for a missing task.
const taskSelect = { id: true, key: true, title: true, description: true, acceptanceCriteria: true, branch: true, baseBranch: true, dependsOn: true, iteration: true, status: true } as const;

/** The run, its repository and the commands its checks use (the run's own win over the profile). */
export async function loadRunContextOrThrow(options: { runId: string }) {
  const run = await db.run.findUnique({
    where: { id: options.runId },
    select: {
      id: true, title: true, spec: true, status: true, models: true, maxIterations: true, allowWorkflowChanges: true, testCommand: true, setupCommand: true,
      coderAttempts: true, escalateAfter: true,
      repository: { select: { id: true, owner: true, name: true, defaultBranch: true, testCommand: true, setupCommand: true, hasCi: true, coderAttempts: true } },
    },
  });
  if (!run) throw new AppError("not_found", `Run ${options.runId} not found`);
  if (!run.repository) throw new AppError("bad_request", `Run ${run.id} has no repository`);
  // The run's own commands win over the repository profile ("" on the run means none).
  const commands = resolveRunCommands({ run, repository: run.repository });
  return { run, repository: run.repository, commands: { setupCommand: commands.setupCommand, testCommand: commands.testCommand } };
}

export type RunContext = Awaited<ReturnType<typeof loadRunContextOrThrow>>;

/** A task's context: its run's, plus the task itself (never missing). */
export async function loadTaskContextOrThrow(options: { runId: string; taskId: string }): Promise<TaskContext> {
  const [context, task] = await Promise.all([
    loadRunContextOrThrow(options),
    loadTask(options.taskId),
  ]);
  if (!task) throw new AppError("not_found", `Task ${options.taskId} not found`);
  return { ...context, task };
}

export type TaskContext = RunContext & { task: NonNullable<Awaited<ReturnType<typeof loadTask>>> };

/** Work that may or may not belong to a task (the planner's session does not). */
export type WorkContext = RunContext & { task: TaskContext["task"] | null };

/** A session's context: the task's when it has one, else the run's. */
async function loadWorkContext(options: { runId: string; taskId?: string | null }): Promise<WorkContext> {
  return options.taskId ? loadTaskContextOrThrow({ runId: options.runId, taskId: options.taskId }) : { ...(await loadRunContextOrThrow(options)), task: null };
}

function loadTask(taskId: string) {
  return db.task.findUnique({ where: { id: taskId }, select: taskSelect });
}


/** The task's own checkout for deterministic work (tests, diffs), shared by those steps. */
export const taskCheckoutKey = (taskId: string) => `checkout-${taskId}`;

/** A checkout per best-of-N attempt, for its checks while attempts are judged side by side. */
export const attemptCheckoutKey = (taskId: string, attempt: number) => `checkout-${taskId}-attempt-${attempt}`;

/** A second checkout per task, for running tests on its base commit. */
export const taskBaseCheckoutKey = (taskId: string) => `base-${taskId}`;

/** The workspace detached at one commit (e.g. the task's base), cleaned of earlier runs' files. */
export async function openCommitWorkspace(options: Parameters<typeof openSessionWorkspace>[0] & { sha: string }) {
  const opened = await openSessionWorkspace(options);
  await runGit({ cwd: opened.workspace, args: ["checkout", "--quiet", "--force", "--detach", options.sha] });
  await runGit({ cwd: opened.workspace, args: ["clean", "-fdq"] });
  return opened;
}

/**
 * The commit the task's change starts from: where its branch left the base branch (or the
 * default branch, once a merged dependency's branch is gone). Needs a fetched workspace.
 */
export async function resolveBaseSha(options: { workspace: string; baseBranch: string | null; defaultBranch: string }): Promise<string> {
  const cwd = options.workspace;
  const candidates = [options.baseBranch, options.defaultBranch].filter((name): name is string => !!name);
  for (const name of candidates) {
    const { exitCode } = await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${name}`], allowedExitCodes: [1] });
    if (exitCode !== 0) continue;
    const { stdout } = await runGit({ cwd, args: ["merge-base", "HEAD", `refs/remotes/origin/${name}`], allowedExitCodes: [1] });
    if (stdout.trim()) return stdout.trim();
  }
  throw new AppError("not_found", `Cannot find where the task branch left ${candidates.join(" or ")}`);
}

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

/**
 * One durable chunk of a session, as one workflow step: refresh the session's workspace from
 * its branch, run a few turns, commit and push (writer roles) and save the transcript.
 */
export async function runSessionChunk(options: { sessionId: string }): Promise<SessionOutcome> {
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: options.sessionId }, select: { runId: true, taskId: true, branch: true, attempt: true, role: true } });
  const context = await loadWorkContext({ runId: session.runId, taskId: session.taskId ?? undefined });
  // Sessions without a branch of their own (planner, reviewer) work on a local branch never
  // pushed: the task's, or for a reviewer judging a best-of-N attempt, that attempt's.
  const readOnlyBranch = context.task && session.attempt ? buildBranchName({ runId: context.run.id, taskKey: context.task.key, attempt: session.attempt }) : context.task?.branch;
  const branch = session.branch ?? (readOnlyBranch || buildBranchName({ runId: context.run.id, taskKey: "plan" }));
  const workspace = await openSessionWorkspace({ repository: context.repository, workspaceKey: options.sessionId, branch });
  // A role that runs commands gets the repository's dependencies, so its own test runs work.
  if (roleDefinitions[session.role].workspaceTools.includes("run_command")) {
    await setUpWorkspaceOnce({ workspace: workspace.workspace, setupCommand: context.commands.setupCommand });
  }
  return runAgentSessionChunk({
    sessionId: options.sessionId,
    workspace: workspace.workspace,
    checkpointer: createDefaultCheckpointer({ allowWorkflowChanges: context.run.allowWorkflowChanges, token: workspace.token }),
  });
}
