// Factory branches on GitHub: created from the default branch, deleted when an attempt loses.
// Only factory/* branches are ever touched.
import { AppError } from "@/lib/errors";
import { isFactoryBranch } from "@/lib/git/branches";
import { getGitHubClient, type RepoRef } from "./app-auth";
import { hasGitHubStatus, toGitHubError } from "./github-client";

// Creates a factory branch from the default branch; an existing branch is left as it is.
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

// Deletes a factory branch (a losing best-of-N attempt's). Only factory/* branches; a branch
// that is already gone counts as deleted, so a retried step is harmless.
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
