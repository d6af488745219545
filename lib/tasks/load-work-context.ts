// What every workflow step of a run needs to know, loaded by id: the run, its repository and
// its resolved commands, and (for a task's steps) the task. The …OrThrow fetchers return
// non-optional data, so step code never checks for a missing task.
import { db } from "../db";
import { AppError } from "../errors";
import { resolveRunCommands } from "../repositories/repository-profile";

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
export async function loadWorkContext(options: { runId: string; taskId?: string | null }): Promise<WorkContext> {
  return options.taskId ? loadTaskContextOrThrow({ runId: options.runId, taskId: options.taskId }) : { ...(await loadRunContextOrThrow(options)), task: null };
}

function loadTask(taskId: string) {
  return db.task.findUnique({ where: { id: taskId }, select: taskSelect });
}
