// A task's status: starting it on its branch, moving it, and the PR status comment that mirrors it.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import { buildBranchName } from "@/lib/git/branches";
import { createBranch } from "@/lib/github/branches";
import { markPullRequestReady } from "@/lib/github/pull-requests";
import { upsertStatusComment } from "@/lib/github/upsert-status-comment";
import { recordRunEvent } from "@/lib/runs/run-events";
import { runPageUrl } from "@/lib/runs/to-run-dto";
import type { TaskContext } from "./role-sessions";

/** Moves a task to a new status (with the iteration it reached) and records why. */
export async function setTaskStatus(options: { taskId: string; status: TaskStatus; iteration?: number; reason?: string }) {
  const isFinal = options.status !== "pending" && options.status !== "running";
  await db.$transaction(async (tx) => {
    const task = await tx.task.update({
      where: { id: options.taskId },
      data: {
        status: options.status,
        iteration: options.iteration,
        error: options.reason ?? null,
        ...(options.status === "running" ? { startedAt: new Date() } : {}),
        ...(isFinal ? { finishedAt: new Date() } : {}),
      },
      select: { runId: true, key: true, iteration: true, costUsd: true },
    });
    await recordRunEvent(
      { runId: task.runId, type: `task.${options.status}`, payload: { taskKey: task.key, iteration: task.iteration, costUsd: task.costUsd.toString(), reason: options.reason ?? null } },
      tx,
    );
  });
}

// Starts a task on its factory branch. A task with dependencies starts from their work: its
// branch is created from the first dependency's branch (the PR is stacked on it), and the
// other dependencies' branches are merged in by syncTaskBranch. Safe to repeat.
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

/** Every task of a run, by id. */
export async function listRunTaskIds(runId: string): Promise<string[]> {
  const tasks = await db.task.findMany({ where: { runId }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return tasks.map((task) => task.id);
}

/** The branches of a task's dependencies, in the order the plan lists them. */
async function readDependencyBranches(options: { runId: string; dependsOn: string[] }): Promise<string[]> {
  if (options.dependsOn.length === 0) return [];
  const dependencies = await db.task.findMany({ where: { runId: options.runId, key: { in: options.dependsOn } }, select: { key: true, branch: true } });
  return options.dependsOn.flatMap((key) => dependencies.find((dependency) => dependency.key === key)?.branch ?? []);
}

/** Takes the task's PR out of draft once tests pass and the review approves. */
export async function markTaskReady(options: { context: TaskContext }) {
  const task = options.context.task;
  const pullRequest = await db.pullRequest.findUniqueOrThrow({ where: { taskId: task.id }, select: { id: true, number: true, url: true } });
  const { isChanged } = await markPullRequestReady({ owner: options.context.repository.owner, repo: options.context.repository.name, number: pullRequest.number });
  if (isChanged) {
    await db.$transaction(async (tx) => {
      await tx.pullRequest.update({ where: { id: pullRequest.id }, data: { state: "open" } });
      await recordRunEvent({ runId: options.context.run.id, type: "pull_request.ready", payload: { taskKey: task.key, number: pullRequest.number, url: pullRequest.url } }, tx);
    });
  }
}

/** Refreshes the PR's sticky status comment: iteration, tests, review verdict and cost so far. */
export async function updateTaskStatusComment(options: {
  context: TaskContext;
  iteration: number;
  testResult: "passed" | "failed" | "not_run";
  verdict: "approve" | "request_changes" | "pending";
  note?: string;
}) {
  const task = await db.task.findUniqueOrThrow({ where: { id: options.context.task.id }, select: { costUsd: true, pullRequest: { select: { id: true, number: true } } } });
  if (!task.pullRequest) return;
  await upsertStatusComment({
    owner: options.context.repository.owner,
    repo: options.context.repository.name,
    number: task.pullRequest.number,
    pullRequestId: task.pullRequest.id,
    status: {
      iteration: options.iteration,
      maxIterations: options.context.run.maxIterations,
      testResult: options.testResult,
      verdict: options.verdict,
      costUsd: task.costUsd.toNumber(),
      runUrl: runPageUrl(options.context.run.id),
      note: options.note,
    },
  });
}
