// REST: pull requests (list, create, get, update, files, merge).
import { countCommits, diffFiles, hasCommit, hasCommonHistory, mergeIntoBranch, resolveBranch } from "./git-repo-ops";
import { FakeHttpError, route, stringField, unprocessable, type FakeInternals, type Route } from "./fake-http";
import { nowIso, repoKey, type FakePull, type FakeRepository } from "./fake-state";
import type { components } from "@octokit/openapi-types";
import { findPullOrThrow, pullShas, renderPull } from "./pull-helpers";

export function pullRoutes(): Route[] {
  return [
    route("GET", "/repos/:owner/:repo/pulls", async ({ params, query, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const state = query.get("state") ?? "open";
      const head = query.get("head");
      const base = query.get("base");
      const pulls = fake.state.pulls.filter((p) =>
        p.repoKey === repoKey(repo.owner, repo.name) &&
        (state === "all" || p.state === state) &&
        (!head || `${repo.owner}:${p.head}`.toLowerCase() === head.toLowerCase()) &&
        (!base || p.base === base),
      );
      // Newest first, one page: the fake never paginates.
      return { body: await Promise.all(pulls.reverse().map((p) => renderPull(fake, repo, p))) };
    }),

    route("POST", "/repos/:owner/:repo/pulls", async ({ params, body, actor, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const title = stringField(body, "title", "PullRequest");
      const headInput = stringField(body, "head", "PullRequest");
      const base = stringField(body, "base", "PullRequest");
      const head = headInput.includes(":") ? headInput.split(":")[1] : headInput;
      const headSha = await resolveBranch(repo.dir, head);
      if (!headSha) throw unprocessable([{ resource: "PullRequest", field: "head", code: "invalid" }]);
      const baseSha = await resolveBranch(repo.dir, base);
      if (!baseSha) throw unprocessable([{ resource: "PullRequest", field: "base", code: "invalid" }]);
      const existing = fake.state.pulls.find((p) => p.repoKey === repoKey(repo.owner, repo.name) && p.head === head && p.base === base && p.state === "open");
      if (existing) throw unprocessable([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${head}.` }]);
      if (!(await hasCommonHistory(repo.dir, baseSha, headSha))) {
        throw unprocessable([{ resource: "PullRequest", code: "custom", message: `The ${head} branch has no history in common with ${base}` }]);
      }
      if ((await countCommits(repo.dir, baseSha, headSha)) === 0) {
        throw unprocessable([{ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${head}` }]);
      }
      const now = nowIso();
      const pull: FakePull = {
        id: fake.nextId(), number: ++repo.lastNumber, repoKey: repoKey(repo.owner, repo.name), title,
        body: typeof body.body === "string" ? body.body : null, head, base, isDraft: body.draft === true,
        state: "open", isMerged: false, mergedAt: null, closedAt: null, mergeCommitSha: null, lastHeadSha: headSha,
        user: actor, autoMerge: null, createdAt: now, updatedAt: now,
      };
      fake.state.pulls.push(pull);
      return { status: 201, body: await renderPull(fake, repo, pull) };
    }),

    route("GET", "/repos/:owner/:repo/pulls/:number", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      return { body: await renderPull(fake, repo, findPullOrThrow(fake, repo, params.number)) };
    }),

    route("PATCH", "/repos/:owner/:repo/pulls/:number", async ({ params, body, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const pull = findPullOrThrow(fake, repo, params.number);
      if (typeof body.title === "string") pull.title = body.title;
      if (typeof body.body === "string") pull.body = body.body;
      if (typeof body.base === "string") pull.base = body.base;
      if (body.state === "closed" && pull.state === "open") { pull.state = "closed"; pull.closedAt = nowIso(); }
      if (body.state === "open" && pull.state === "closed" && !pull.isMerged) { pull.state = "open"; pull.closedAt = null; }
      pull.updatedAt = nowIso();
      return { body: await renderPull(fake, repo, pull) };
    }),

    route("GET", "/repos/:owner/:repo/pulls/:number/files", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const pull = findPullOrThrow(fake, repo, params.number);
      const shas = await pullShas(repo, pull);
      const files = await diffFiles(repo.dir, shas.base, shas.head);
      const body: components["schemas"]["diff-entry"][] = files.map((f) => ({
        sha: null, filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions,
        changes: f.additions + f.deletions,
        blob_url: `${fake.shape.baseUrl}/${repo.owner}/${repo.name}/blob/${shas.head}/${f.filename}`,
        raw_url: `${fake.shape.baseUrl}/${repo.owner}/${repo.name}/raw/${shas.head}/${f.filename}`,
        contents_url: `${fake.shape.baseUrl}/repos/${repo.owner}/${repo.name}/contents/${f.filename}?ref=${shas.head}`,
        patch: f.patch, ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
      }));
      return { body };
    }),

    route("PUT", "/repos/:owner/:repo/pulls/:number/merge", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const pull = findPullOrThrow(fake, repo, params.number);
      const sha = await mergePull(fake, repo, pull);
      const body: components["schemas"]["pull-request-merge-result"] = { sha, merged: true, message: "Pull Request successfully merged" };
      return { body };
    }),
  ];
}

/** Merges like GitHub's "merge" method: a merge commit on the base branch; the PR becomes merged. */
export async function mergePull(fake: FakeInternals, repo: FakeRepository, pull: FakePull): Promise<string> {
  if (pull.state !== "open" || pull.isDraft) throw new FakeHttpError(405, "Pull Request is not mergeable");
  const { head } = await pullShas(repo, pull);
  if (!(await hasCommit(repo.dir, head))) throw new FakeHttpError(405, "Pull Request is not mergeable");
  const sha = await mergeIntoBranch(repo.dir, pull.base, head, `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}\n\n${pull.title}`);
  if (!sha) throw new FakeHttpError(405, "Pull Request is not mergeable");
  const now = nowIso();
  Object.assign(pull, { state: "closed", isMerged: true, mergedAt: now, closedAt: now, mergeCommitSha: sha, updatedAt: now });
  return sha;
}
