// REST: check runs and commit statuses for a ref (CI state), and the writes CI would make.
import type { components } from "@octokit/openapi-types";
import { resolveBranch } from "./git-repo-ops";
import { route, stringField, type Route, type FakeInternals } from "./fake-http";
import { nowIso, repoKey, type FakeCheckRun, type FakeCommitStatus, type FakeRepository } from "./fake-state";
import { toCheckRun, toCombinedStatus } from "./github-shapes";

async function resolveRef(repo: FakeRepository, ref: string): Promise<string> {
  return /^[0-9a-f]{40}$/.test(ref) ? ref : ((await resolveBranch(repo.dir, ref)) ?? ref);
}

export function checkRoutes(): Route[] {
  return [
    route("GET", "/repos/:owner/:repo/commits/:ref/check-runs", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const sha = await resolveRef(repo, params.ref);
      const runs = fake.state.checkRuns.filter((r) => r.repoKey === repoKey(repo.owner, repo.name) && r.headSha === sha);
      const body: { total_count: number; check_runs: components["schemas"]["check-run"][] } = {
        total_count: runs.length,
        check_runs: runs.map((r) => toCheckRun(fake.shape, repo, r)),
      };
      return { body };
    }),

    route("GET", "/repos/:owner/:repo/commits/:ref/status", async ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const sha = await resolveRef(repo, params.ref);
      // Latest status per context wins, as on GitHub.
      const latest = new Map<string, FakeCommitStatus>();
      for (const s of fake.state.statuses) if (s.repoKey === repoKey(repo.owner, repo.name) && s.sha === sha) latest.set(s.context, s);
      return { body: toCombinedStatus(fake.shape, repo, sha, [...latest.values()]) };
    }),

    route("POST", "/repos/:owner/:repo/statuses/:sha", ({ params, body, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const status = addCommitStatus(fake, repo, {
        sha: params.sha,
        state: stringField(body, "state", "Status") as FakeCommitStatus["state"],
        context: typeof body.context === "string" ? body.context : "default",
      });
      return { status: 201, body: { id: status.id, state: status.state, context: status.context } };
    }),

    route("POST", "/repos/:owner/:repo/check-runs", ({ params, body, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const run = addCheckRun(fake, repo, {
        headSha: stringField(body, "head_sha", "CheckRun"),
        name: stringField(body, "name", "CheckRun"),
        status: (body.status as FakeCheckRun["status"]) ?? "queued",
        conclusion: (body.conclusion as FakeCheckRun["conclusion"]) ?? null,
      });
      return { status: 201, body: toCheckRun(fake.shape, repo, run) };
    }),
  ];
}

export function addCheckRun(fake: FakeInternals, repo: FakeRepository, input: Omit<FakeCheckRun, "id" | "repoKey">): FakeCheckRun {
  const run: FakeCheckRun = { id: fake.nextId(), repoKey: repoKey(repo.owner, repo.name), ...input };
  fake.state.checkRuns.push(run);
  return run;
}

export function addCommitStatus(fake: FakeInternals, repo: FakeRepository, input: Pick<FakeCommitStatus, "sha" | "state" | "context">): FakeCommitStatus {
  const status: FakeCommitStatus = { id: fake.nextId(), repoKey: repoKey(repo.owner, repo.name), createdAt: nowIso(), ...input };
  fake.state.statuses.push(status);
  return status;
}
