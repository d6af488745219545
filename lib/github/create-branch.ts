// Creates a factory branch from the default branch; an existing branch is left as it is.
import { AppError } from "../errors";
import { isFactoryBranch } from "./factory-branch-name";
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { hasGitHubStatus, toGitHubError } from "./to-github-error";

export type CreateBranchInput = RepoRef & {
  branch: string;
  /** Default: the repository's default branch. */
  fromBranch?: string;
};

export type BranchInfo = { branch: string; sha: string; isCreated: boolean };

export async function createBranch(input: CreateBranchInput): Promise<BranchInfo> {
  if (!isFactoryBranch(input.branch)) {
    throw new AppError("bad_request", `The factory only creates factory/* branches, not "${input.branch}".`);
  }
  const client = await getGitHubClient(input);
  const { owner, repo, branch } = input;
  try {
    const existing = await readBranchSha(input, branch);
    if (existing) return { branch, sha: existing, isCreated: false };
    const from = input.fromBranch ?? (await client.rest.repos.get({ owner, repo })).data.default_branch;
    const sha = await readBranchSha(input, from);
    if (!sha) throw new AppError("not_found", `Branch "${from}" does not exist in ${owner}/${repo}.`);
    try {
      await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha });
      return { branch, sha, isCreated: true };
    } catch (error) {
      // Created concurrently by another attempt: that is the branch we wanted.
      if (!hasGitHubStatus(error, 422)) throw error;
      const raced = await readBranchSha(input, branch);
      if (!raced) throw error;
      return { branch, sha: raced, isCreated: false };
    }
  } catch (error) {
    throw toGitHubError(error, `create branch ${branch} in ${owner}/${repo}`);
  }
}

async function readBranchSha(input: RepoRef, branch: string): Promise<string | null> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.git.getRef({ owner: input.owner, repo: input.repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (hasGitHubStatus(error, 404)) return null;
    throw error;
  }
}
