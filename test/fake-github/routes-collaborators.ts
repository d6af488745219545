// REST: a user's permission on a repository, as GitHub answers
// GET /repos/{owner}/{repo}/collaborators/{username}/permission: the legacy `permission`
// (admin | write | read | none; maintain reads as write and triage as read) and `role_name`.
import type { components } from "@octokit/openapi-types";
import { notFound, route, type Route } from "./fake-http";
import { repoKey, type FakeRole, type FakeUser } from "./fake-state";

const legacyPermission: Record<FakeRole, "admin" | "write" | "read"> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read" };

/** `findUser` knows every login of the fake (the token's user and those from addUser). */
export function collaboratorRoutes(findUser: (login: string) => FakeUser | undefined, tokenLogin: string): Route[] {
  return [
    route("GET", "/repos/:owner/:repo/collaborators/:username/permission", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const login = params.username;
      const user = findUser(login);
      // GitHub answers 404 for a login that is no user at all.
      if (!user) throw notFound();
      // The token's user owns every repository of the fake; anyone else has what was granted.
      const role: FakeRole | undefined = user.login === tokenLogin ? "admin" : fake.state.permissions.get(`${repoKey(repo.owner, repo.name)}:${login.toLowerCase()}`);
      const body: components["schemas"]["repository-collaborator-permission"] = {
        permission: role ? legacyPermission[role] : "none",
        role_name: role ?? "none",
        user: {
          login: user.login, id: user.id, node_id: `U_${user.id}`, avatar_url: "", gravatar_id: "", url: `${fake.shape.baseUrl}/users/${user.login}`,
          html_url: `${fake.shape.baseUrl}/${user.login}`, followers_url: "", following_url: "", gists_url: "", starred_url: "", subscriptions_url: "",
          organizations_url: "", repos_url: "", events_url: "", received_events_url: "", type: user.type, site_admin: false, user_view_type: "public",
          permissions: { admin: role === "admin", maintain: role === "admin" || role === "maintain", push: !!role && legacyPermission[role] !== "read", triage: !!role && role !== "read", pull: !!role },
          role_name: role ?? "none",
        },
      };
      return { body };
    }),
  ];
}
