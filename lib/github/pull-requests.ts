// Factory pull requests: finding, opening, describing and updating them.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isFactoryBranch, buildBranchName } from "@/lib/git/branches";
import { formatUsd } from "@/lib/money";
import { recordRunEvent } from "@/lib/runs/run-events";
import { runPageUrl } from "@/lib/runs/to-run-dto";
import { getGitHubClient, type RepoRef } from "./app-auth";
import { hiddenMarker, getFactoryLogin, isOwnMarked } from "./factory-identity";
import { type GitHubClient, hasGitHubStatus, toGitHubError } from "./github-client";

// The subset of a GitHub pull request the factory works with.
export type PullRequestInfo = {
  number: number;
  nodeId: string;
  url: string;
  headBranch: string;
  baseBranch: string;
  headSha: string;
  isDraft: boolean;
  state: "open" | "closed" | "merged";
  body: string;
};

type PullLike = {
  number: number;
  node_id: string;
  html_url: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  draft?: boolean;
  state: string;
  merged_at: string | null;
  body: string | null;
};

function toPullRequestInfo(pull: PullLike): PullRequestInfo {
  return {
    number: pull.number,
    nodeId: pull.node_id,
    url: pull.html_url,
    headBranch: pull.head.ref,
    baseBranch: pull.base.ref,
    headSha: pull.head.sha,
    isDraft: pull.draft === true,
    state: pull.merged_at ? "merged" : pull.state === "closed" ? "closed" : "open",
    body: pull.body ?? "",
  };
}

// The PR description: what the task is, how it is judged, where to watch it, what it cost.
export type PullRequestBodyInput = {
  runId: string;
  runUrl: string;
  task: { key: string; title: string; description: string; acceptanceCriteria: string[] };
  costUsd: number;
  /** e.g. "iteration 2 of 3: tests passing, review requested changes" */
  progress?: string;
  /** Dependencies' PRs this one is stacked on (the first is its base), merge them first. */
  buildsOn?: { number: number; url: string; branch: string; taskKey: string }[];
};

function renderPullRequestBody(input: PullRequestBodyInput): string {
  const criteria = input.task.acceptanceCriteria.length
    ? input.task.acceptanceCriteria.map((c) => `- [ ] ${c}`).join("\n")
    : "_None given._";
  return [
    hiddenMarker("pr", `${input.runId}:${input.task.key}`),
    `> Opened by Dark Factory for task \`${input.task.key}\` of [run ${input.runId}](${input.runUrl}).`,
    "",
    ...renderBuildsOn(input.buildsOn ?? []),
    "## Task",
    input.task.description.trim() || input.task.title,
    "",
    "## Acceptance criteria",
    criteria,
    "",
    "## Progress",
    `- Cost so far: **${formatUsd(input.costUsd)}**`,
    ...(input.progress ? [`- ${input.progress}`] : []),
    `- Live: ${input.runUrl}`,
  ].join("\n");
}

function renderBuildsOn(buildsOn: NonNullable<PullRequestBodyInput["buildsOn"]>): string[] {
  if (buildsOn.length === 0) return [];
  const [base, ...merged] = buildsOn;
  return [
    "## Builds on",
    `- #${base.number} (\`${base.taskKey}\`, branch \`${base.branch}\`): this PR is stacked on it and shows only its own change.`,
    ...merged.map((pr) => `- #${pr.number} (\`${pr.taskKey}\`, branch \`${pr.branch}\`): merged into this branch.`),
    "",
    "Merge those first. When a dependency changes, the factory merges it into this branch before its next iteration.",
    "",
  ];
}

// Finds the PullRequest row of a factory PR a webhook is about; null means "not ours".
export type FactoryPullRequestQuery = {
  owner: string;
  repo: string;
  number?: number;
  /** For check events, which name a branch and a sha but not always a PR. */
  headBranch?: string | null;
  headSha?: string;
};

export async function findFactoryPullRequest(query: FactoryPullRequestQuery) {
  const repository = { owner: { equals: query.owner, mode: "insensitive" as const }, name: { equals: query.repo, mode: "insensitive" as const } };
  const or = [
    ...(query.number !== undefined ? [{ number: query.number }] : []),
    ...(query.headBranch ? [{ headBranch: query.headBranch }] : []),
    ...(query.headSha ? [{ headSha: query.headSha }] : []),
  ];
  if (or.length === 0) return null;
  const row = await db.pullRequest.findFirst({
    where: { repository, OR: or },
    select: { id: true, runId: true, number: true, headBranch: true },
    orderBy: { createdAt: "desc" },
  });
  // Belt and braces: the factory only ever opens PRs from factory/* branches.
  return row && isFactoryBranch(row.headBranch) ? row : null;
}

// Opens (or finds) the draft PR of a task and records it: the PullRequest row, the task's
// branch, and a RunEvent the first time. Safe to re-run from a retried workflow step.
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

// GitHub writes on a factory pull request, each idempotent so a retried workflow step changes
// nothing the second time: open the draft, keep its description, reply once per key, mark it
// ready, and (when the repository opts in) enable auto-merge.
// Opens a draft PR for a factory branch, or returns the PR that branch already has: a
// re-run never opens a second one.
export type OpenDraftPullRequestInput = RepoRef & {
  head: string;
  base: string;
  title: string;
  body: string;
};

async function openDraftPullRequest(input: OpenDraftPullRequestInput): Promise<PullRequestInfo & { isCreated: boolean }> {
  if (!isFactoryBranch(input.head)) {
    throw new AppError("bad_request", `The factory only opens pull requests from factory/* branches, not "${input.head}".`);
  }
  try {
    const existing = await findPullRequestForBranch(input);
    if (existing) return { ...existing, isCreated: false };
    const client = await getGitHubClient(input);
    try {
      const { data } = await client.rest.pulls.create({
        owner: input.owner, repo: input.repo, head: input.head, base: input.base,
        title: input.title.slice(0, 256), body: input.body, draft: true, maintainer_can_modify: false,
      });
      return { ...toPullRequestInfo(data), isCreated: true };
    } catch (error) {
      // "A pull request already exists": opened concurrently by another attempt.
      if (!hasGitHubStatus(error, 422)) throw error;
      const raced = await findPullRequestForBranch(input);
      if (!raced) throw error;
      return { ...raced, isCreated: false };
    }
  } catch (error) {
    throw toGitHubError(error, `open a pull request for ${input.head} in ${input.owner}/${input.repo}`);
  }
}

/** The branch's open PR, else its most recent closed or merged one, else null. */
async function findPullRequestForBranch(input: RepoRef & { head: string }): Promise<PullRequestInfo | null> {
  const client = await getGitHubClient(input);
  const pulls = await client.paginate(client.rest.pulls.list, {
    owner: input.owner, repo: input.repo, head: `${input.owner}:${input.head}`, state: "all", per_page: 100,
  });
  const match = pulls.find((p) => p.state === "open") ?? pulls[0];
  return match ? toPullRequestInfo(match) : null;
}

// Replaces a PR's description; skips the write when nothing changed.
export type UpdatePullRequestBodyInput = RepoRef & { number: number; body: string };

export async function updatePullRequestBody(input: UpdatePullRequestBodyInput): Promise<{ isChanged: boolean }> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.pulls.get({ owner: input.owner, repo: input.repo, pull_number: input.number });
    if ((data.body ?? "") === input.body) return { isChanged: false };
    await client.rest.pulls.update({ owner: input.owner, repo: input.repo, pull_number: input.number, body: input.body });
    return { isChanged: true };
  } catch (error) {
    throw toGitHubError(error, `update the description of PR #${input.number} in ${input.owner}/${input.repo}`);
  }
}

// A comment the factory posts once per key (e.g. its answer to one human review); a re-run
// finds it by its hidden marker, on a comment the factory itself wrote, instead of posting again.
export async function replyOnPullRequest(input: RepoRef & { number: number; key: string; body: string }): Promise<{ id: number; url: string; isCreated: boolean }> {
  const client = await getGitHubClient(input);
  const { owner, repo, number } = input;
  const marker = hiddenMarker("reply", input.key);
  try {
    const factoryLogin = await getFactoryLogin(input);
    const comments = await client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
    const existing = comments.find((comment) => isOwnMarked(comment, marker, factoryLogin));
    if (existing) return { id: existing.id, url: existing.html_url, isCreated: false };
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: number, body: `${marker}\n${input.body}` });
    return { id: data.id, url: data.html_url, isCreated: true };
  } catch (error) {
    throw toGitHubError(error, `comment on PR #${number} in ${owner}/${repo}`);
  }
}

// Marks a draft PR ready for review. REST cannot (PATCH ignores `draft`), so this uses the
// GraphQL mutation GitHub itself uses; a PR that is not a draft is left alone.
const markReadyMutation = `mutation MarkReady($pullRequestId: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $pullRequestId }) { pullRequest { id isDraft } }
}`;

export async function markPullRequestReady(input: RepoRef & { number: number }): Promise<{ isChanged: boolean }> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.pulls.get({ owner: input.owner, repo: input.repo, pull_number: input.number });
    if (!data.draft || data.state !== "open") return { isChanged: false };
    await client.graphql(markReadyMutation, { pullRequestId: data.node_id });
    return { isChanged: true };
  } catch (error) {
    throw toGitHubError(error, `mark PR #${input.number} in ${input.owner}/${input.repo} ready for review`);
  }
}

// Optional auto-merge (off unless the repository opts in): asks GitHub to merge the PR once
// its required checks pass. Only GraphQL offers this, like marking a PR ready.
const enableAutoMergeMutation = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) { pullRequest { id } }
}`;

export type EnableAutoMergeInput = RepoRef & {
  number: number;
  /** Off by default: the repository's settings must turn it on. */
  isEnabled?: boolean;
  mergeMethod?: "merge" | "squash" | "rebase";
};

export async function enableAutoMerge(input: EnableAutoMergeInput): Promise<{ isEnabled: boolean; isChanged: boolean }> {
  if (!input.isEnabled) return { isEnabled: false, isChanged: false };
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.pulls.get({ owner: input.owner, repo: input.repo, pull_number: input.number });
    if (data.auto_merge) return { isEnabled: true, isChanged: false };
    await client.graphql(enableAutoMergeMutation, { pullRequestId: data.node_id, mergeMethod: (input.mergeMethod ?? "squash").toUpperCase() });
    return { isEnabled: true, isChanged: true };
  } catch (error) {
    throw toGitHubError(error, `enable auto-merge on PR #${input.number} in ${input.owner}/${input.repo}`);
  }
}
