// Reads what the factory needs to know about a repository before working on it.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

export type RepositoryInfo = {
  fullName: string;
  defaultBranch: string;
  cloneUrl: string;
  htmlUrl: string;
  isPrivate: boolean;
  permissions: { admin: boolean; push: boolean; pull: boolean };
  canPush: boolean;
};

export async function readRepository(ref: RepoRef): Promise<RepositoryInfo> {
  const client = await getGitHubClient(ref);
  try {
    const { data } = await client.rest.repos.get({ owner: ref.owner, repo: ref.repo });
    const permissions = { admin: !!data.permissions?.admin, push: !!data.permissions?.push, pull: !!data.permissions?.pull };
    return {
      fullName: data.full_name,
      defaultBranch: data.default_branch,
      cloneUrl: data.clone_url,
      htmlUrl: data.html_url,
      isPrivate: data.private,
      permissions,
      canPush: permissions.push || permissions.admin,
    };
  } catch (error) {
    throw toGitHubError(error, `read repository ${ref.owner}/${ref.repo}`);
  }
}
