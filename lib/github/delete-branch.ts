// Deletes a factory branch (a losing best-of-N attempt's). Only factory/* branches; a branch
// that is already gone counts as deleted, so a retried step is harmless.
import { AppError } from "../errors";
import { isFactoryBranch } from "./factory-branch-name";
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { hasGitHubStatus, toGitHubError } from "./to-github-error";

export async function deleteBranch(input: RepoRef & { branch: string }): Promise<{ isDeleted: boolean }> {
  if (!isFactoryBranch(input.branch)) {
    throw new AppError("bad_request", `The factory only deletes factory/* branches, not "${input.branch}".`);
  }
  const client = await getGitHubClient(input);
  try {
    await client.rest.git.deleteRef({ owner: input.owner, repo: input.repo, ref: `heads/${input.branch}` });
    return { isDeleted: true };
  } catch (error) {
    // GitHub answers 422 "Reference does not exist" (some versions 404) for a missing branch.
    if (hasGitHubStatus(error, 422) || hasGitHubStatus(error, 404)) return { isDeleted: false };
    throw toGitHubError(error, `delete branch ${input.branch} in ${input.owner}/${input.repo}`);
  }
}
