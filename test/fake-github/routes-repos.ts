// REST: repositories and git refs.
import { deleteBranch, hasCommit, resolveBranch, updateBranch } from "./git-repo-ops";
import { notFound, route, stringField, unprocessable, type Route } from "./fake-http";
import { toFullRepository, toGitRef } from "./github-shapes";

export function repositoryRoutes(): Route[] {
  return [
    route("GET", "/repos/:owner/:repo", ({ params, fake }) => ({
      body: toFullRepository(fake.shape, fake.repoOrThrow(params.owner, params.repo)),
    })),

    route("GET", "/repos/:owner/:repo/git/ref/:ref+", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const branch = params.ref.replace(/^heads\//, "");
      const sha = params.ref.startsWith("heads/") ? await resolveBranch(repo.dir, branch) : null;
      if (!sha) throw notFound();
      return { body: toGitRef(fake.shape, repo, `refs/heads/${branch}`, sha) };
    }),

    route("POST", "/repos/:owner/:repo/git/refs", async ({ params, body, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const ref = stringField(body, "ref", "Reference");
      const sha = stringField(body, "sha", "Reference");
      if (!/^refs\/heads\/[^\s~^:?*[\\]+$/.test(ref)) throw unprocessable([], `${ref} is not a valid ref name.`);
      const branch = ref.slice("refs/heads/".length);
      if (await resolveBranch(repo.dir, branch)) throw unprocessable([], "Reference already exists");
      if (!/^[0-9a-f]{40}$/.test(sha) || !(await hasCommit(repo.dir, sha))) throw unprocessable([], "Object does not exist");
      await updateBranch(repo.dir, branch, sha);
      return { status: 201, body: toGitRef(fake.shape, repo, ref, sha) };
    }),

    // As GitHub: 204, or 422 "Reference does not exist" for a branch that is not there.
    route("DELETE", "/repos/:owner/:repo/git/refs/:ref+", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const branch = params.ref.replace(/^heads\//, "");
      if (!params.ref.startsWith("heads/") || !(await resolveBranch(repo.dir, branch))) throw unprocessable([], "Reference does not exist");
      await deleteBranch(repo.dir, branch);
      return { status: 204 };
    }),
  ];
}
