// Marks a draft PR ready for review. REST cannot (PATCH ignores `draft`), so this uses the
// GraphQL mutation GitHub itself uses; a PR that is not a draft is left alone.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

const mutation = `mutation MarkReady($pullRequestId: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $pullRequestId }) { pullRequest { id isDraft } }
}`;

export async function markPullRequestReady(input: RepoRef & { number: number }): Promise<{ isChanged: boolean }> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.pulls.get({ owner: input.owner, repo: input.repo, pull_number: input.number });
    if (!data.draft || data.state !== "open") return { isChanged: false };
    await client.graphql(mutation, { pullRequestId: data.node_id });
    return { isChanged: true };
  } catch (error) {
    throw toGitHubError(error, `mark PR #${input.number} in ${input.owner}/${input.repo} ready for review`);
  }
}
