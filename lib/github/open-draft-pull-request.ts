// Opens a draft PR for a factory branch, or returns the PR that branch already has: a
// re-run never opens a second one.
import { AppError } from "../errors";
import { isFactoryBranch } from "./factory-branch-name";
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toPullRequestInfo, type PullRequestInfo } from "./pull-request-info";
import { hasGitHubStatus, toGitHubError } from "./to-github-error";

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
