// Whether a GitHub user may steer the factory: write access to the repository, as GitHub's
// collaborator permission says. The author association on a review (MEMBER, COLLABORATOR) is
// not that: an organisation member or a read-only collaborator has one too.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { hasGitHubStatus, toGitHubError } from "./to-github-error";

export type WriteAccess = {
  username: string;
  /** GitHub's base permission: admin | write | read | none (maintain reads as write, triage as read). */
  permission: string;
  /** The role: admin | maintain | write | triage | read, or a custom role's name; null when GitHub gives none. */
  roleName: string | null;
  hasWriteAccess: boolean;
};

const writePermissions = new Set(["admin", "write"]);
const writeRoles = new Set(["admin", "maintain", "write"]);

/** `GET /repos/{owner}/{repo}/collaborators/{username}/permission`; a login GitHub does not know has no access. */
export async function readWriteAccess(input: RepoRef & { username: string }): Promise<WriteAccess> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ owner: input.owner, repo: input.repo, username: input.username });
    const roleName = data.role_name ?? null;
    return {
      username: input.username,
      permission: data.permission,
      roleName,
      hasWriteAccess: writePermissions.has(data.permission) || (roleName !== null && writeRoles.has(roleName)),
    };
  } catch (error) {
    if (hasGitHubStatus(error, 404)) return { username: input.username, permission: "none", roleName: null, hasWriteAccess: false };
    throw toGitHubError(error, `read ${input.username}'s permission on ${input.owner}/${input.repo}`);
  }
}
