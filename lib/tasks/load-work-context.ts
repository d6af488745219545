import { db } from "../db";
import { AppError } from "../errors";
import { resolveRunCommands } from "../repositories/repository-profile";

/** What every workflow step of a run needs to know: the run, its repository, and the task. */
export async function loadWorkContext(options: { runId: string; taskId?: string }) {
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
  const task = options.taskId
    ? await db.task.findUnique({
        where: { id: options.taskId },
        select: { id: true, key: true, title: true, description: true, acceptanceCriteria: true, branch: true, baseBranch: true, dependsOn: true, iteration: true, status: true },
      })
    : null;
  if (options.taskId && !task) throw new AppError("not_found", `Task ${options.taskId} not found`);
  // The run's own commands win over the repository profile ("" on the run means none).
  const commands = resolveRunCommands({ run, repository: run.repository });
  return { run, repository: run.repository, task, commands: { setupCommand: commands.setupCommand, testCommand: commands.testCommand } };
}

export type WorkContext = Awaited<ReturnType<typeof loadWorkContext>>;
