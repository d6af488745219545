// Replaces a PR's description; skips the write when nothing changed.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

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
