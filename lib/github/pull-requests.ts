// GitHub writes on a factory pull request, each idempotent so a retried workflow step changes
// nothing the second time: open the draft, keep its description, reply once per key, mark it
// ready, and (when the repository opts in) enable auto-merge.
import { AppError } from "../errors";
import { isFactoryBranch } from "./factory-branch-name";
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toPullRequestInfo, type PullRequestInfo } from "./pull-request-info";
import { hasGitHubStatus, toGitHubError } from "./to-github-error";
import { getFactoryLogin } from "./factory-identity";
import { hiddenMarker, isOwnMarked } from "./hidden-marker";

// Opens a draft PR for a factory branch, or returns the PR that branch already has: a
// re-run never opens a second one.
export type OpenDraftPullRequestInput = RepoRef & {
  head: string;
  base: string;
  title: string;
  body: string;
};

export async function openDraftPullRequest(input: OpenDraftPullRequestInput): Promise<PullRequestInfo & { isCreated: boolean }> {
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
export async function findPullRequestForBranch(input: RepoRef & { head: string }): Promise<PullRequestInfo | null> {
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
