// Optional auto-merge (off unless the repository opts in): asks GitHub to merge the PR once
// its required checks pass. Only GraphQL offers this, like marking a PR ready.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

const mutation = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
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
    await client.graphql(mutation, { pullRequestId: data.node_id, mergeMethod: (input.mergeMethod ?? "squash").toUpperCase() });
    return { isEnabled: true, isChanged: true };
  } catch (error) {
    throw toGitHubError(error, `enable auto-merge on PR #${input.number} in ${input.owner}/${input.repo}`);
  }
}
