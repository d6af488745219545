// Opens (or finds) the draft PR of a task and records it: the PullRequest row, the task's
// branch, and a RunEvent the first time. Safe to re-run from a retried workflow step.
import { db } from "../db";
import { AppError } from "../errors";
import { recordRunEvent } from "../runs/record-run-event";
import { runPageUrl } from "../runs/to-run-dto";
import type { GitHubClient } from "./create-github-client";
import { buildBranchName } from "../git/build-branch-name";
import { openDraftPullRequest } from "./pull-requests";
import { renderPullRequestBody } from "./render-pull-request-body";

export async function openTaskPullRequest(input: { taskId: string; client?: GitHubClient }) {
  const task = await db.task.findUnique({
    where: { id: input.taskId },
    select: {
      id: true, key: true, title: true, description: true, acceptanceCriteria: true, branch: true, baseBranch: true, dependsOn: true, costUsd: true,
      run: { select: { id: true, repository: { select: { id: true, owner: true, name: true, defaultBranch: true } } } },
    },
  });
  if (!task) throw new AppError("not_found", `Task ${input.taskId} not found`);
  const repository = task.run.repository;
  if (!repository) throw new AppError("bad_request", `Run ${task.run.id} has no repository, so it cannot open a pull request`);
  const branch = task.branch ?? buildBranchName({ runId: task.run.id, taskKey: task.key });
  const runUrl = runPageUrl(task.run.id);

  // A dependent task's PR is stacked on its first dependency's branch and names every PR it builds on.
  const dependencies = task.dependsOn.length
    ? await db.task.findMany({ where: { runId: task.run.id, key: { in: task.dependsOn } }, select: { key: true, branch: true, pullRequest: { select: { number: true, url: true } } } })
    : [];
  const buildsOn = task.dependsOn.flatMap((key) => {
    const dependency = dependencies.find((candidate) => candidate.key === key);
    return dependency?.pullRequest && dependency.branch ? [{ ...dependency.pullRequest, branch: dependency.branch, taskKey: key }] : [];
  });
  buildsOn.sort((a, b) => Number(b.branch === task.baseBranch) - Number(a.branch === task.baseBranch));
  const pr = await openDraftPullRequest({
    owner: repository.owner, repo: repository.name, client: input.client, head: branch, base: task.baseBranch ?? repository.defaultBranch,
    title: `[factory] ${task.title}`,
    body: renderPullRequestBody({ runId: task.run.id, runUrl, task, costUsd: Number(task.costUsd.toString()), buildsOn }),
  });

  return db.$transaction(async (tx) => {
    const existing = await tx.pullRequest.findUnique({ where: { repositoryId_headBranch: { repositoryId: repository.id, headBranch: branch } } });
    const data = { number: pr.number, url: pr.url, headSha: pr.headSha, baseBranch: pr.baseBranch };
    const row = existing
      ? await tx.pullRequest.update({ where: { id: existing.id }, data })
      : await tx.pullRequest.create({
          data: { ...data, repositoryId: repository.id, runId: task.run.id, taskId: task.id, headBranch: branch, state: pr.isDraft ? "draft" : "open" },
        });
    if (task.branch !== branch) await tx.task.update({ where: { id: task.id }, data: { branch } });
    if (!existing) {
      await recordRunEvent({ runId: task.run.id, type: "pull_request.opened", payload: { taskKey: task.key, number: pr.number, url: pr.url, branch } }, tx);
    }
    return { pullRequest: row, isCreated: pr.isCreated };
  });
}
