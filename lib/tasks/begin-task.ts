// Starts a task on its factory branch. A task with dependencies starts from their work: its
// branch is created from the first dependency's branch (the PR is stacked on it), and the
// other dependencies' branches are merged in by syncTaskBranch. Safe to repeat.
import { db } from "../db";
import { AppError } from "../errors";
import { buildBranchName } from "../git/build-branch-name";
import { createBranch } from "../github/branches";
import { recordRunEvent } from "../runs/record-run-event";

export type TaskBranches = {
  branch: string;
  /** Where the branch starts and the PR points: the first dependency's branch, or the default branch. */
  baseBranch: string;
  /** Further dependencies' branches, merged into the task branch. */
  mergeBranches: string[];
};

export async function beginTask(options: { taskId: string }): Promise<TaskBranches> {
  const task = await db.task.findUniqueOrThrow({
    where: { id: options.taskId },
    select: { runId: true, key: true, branch: true, baseBranch: true, dependsOn: true, run: { select: { repository: { select: { owner: true, name: true, defaultBranch: true } } } } },
  });
  const repository = task.run.repository;
  if (!repository) throw new AppError("bad_request", `Run ${task.runId} has no repository`);
  const dependencyBranches = await readDependencyBranches({ runId: task.runId, dependsOn: task.dependsOn });
  const baseBranch = task.baseBranch ?? dependencyBranches[0] ?? repository.defaultBranch;
  const branch = task.branch ?? buildBranchName({ runId: task.runId, taskKey: task.key });
  await createBranch({ owner: repository.owner, repo: repository.name, branch, fromBranch: baseBranch });

  await db.$transaction(async (tx) => {
    const { count } = await tx.task.updateMany({
      where: { id: options.taskId, status: "pending" },
      data: { status: "running", branch, baseBranch, startedAt: new Date() },
    });
    if (count === 1) {
      await recordRunEvent({ runId: task.runId, type: "task.started", payload: { taskKey: task.key, branch, baseBranch, dependsOn: task.dependsOn } }, tx);
    }
  });
  return { branch, baseBranch, mergeBranches: dependencyBranches.filter((candidate) => candidate !== baseBranch) };
}

/** The branches of a task's dependencies, in the order the plan lists them. */
export async function readDependencyBranches(options: { runId: string; dependsOn: string[] }): Promise<string[]> {
  if (options.dependsOn.length === 0) return [];
  const dependencies = await db.task.findMany({ where: { runId: options.runId, key: { in: options.dependsOn } }, select: { key: true, branch: true } });
  return options.dependsOn.flatMap((key) => dependencies.find((dependency) => dependency.key === key)?.branch ?? []);
}
