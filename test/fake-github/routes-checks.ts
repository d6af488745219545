// REST: check runs and commit statuses for a ref (CI state), and the writes CI would make.
import type { components } from "@octokit/openapi-types";
import { resolveBranch } from "./git-repo-ops";
import { notFound, route, stringField, type Route, type FakeInternals } from "./fake-http";
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

    route("GET", "/repos/:owner/:repo/check-runs/:id/annotations", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const run = fake.state.checkRuns.find((r) => r.repoKey === repoKey(repo.owner, repo.name) && r.id === Number(params.id));
      if (!run) throw notFound();
      const body: components["schemas"]["check-annotation"][] = (run.annotations ?? []).map((a) => ({
        path: a.path, start_line: a.start_line, end_line: a.end_line ?? a.start_line, start_column: null, end_column: null,
        annotation_level: a.annotation_level, title: a.title ?? null, message: a.message, raw_details: null, blob_href: "",
      }));
      return { body };
    }),

    route("PATCH", "/repos/:owner/:repo/check-runs/:id", ({ params, body, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const run = fake.state.checkRuns.find((r) => r.repoKey === repoKey(repo.owner, repo.name) && r.id === Number(params.id));
      if (!run) throw notFound();
      if (body.status) run.status = body.status as FakeCheckRun["status"];
      if (body.conclusion !== undefined) run.conclusion = body.conclusion as FakeCheckRun["conclusion"];
      if (body.conclusion) run.status = "completed";
      if (body.output && typeof body.output === "object") {
        const { annotations, ...output } = body.output as { annotations?: FakeCheckRun["annotations"] } & NonNullable<FakeCheckRun["output"]>;
        run.output = output;
        if (annotations) run.annotations = [...(run.annotations ?? []), ...annotations];
      }
      return { body: toCheckRun(fake.shape, repo, run) };
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
        ...(body.output && typeof body.output === "object" ? splitOutput(body.output as Record<string, unknown>) : {}),
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

function splitOutput(output: Record<string, unknown>): Pick<FakeCheckRun, "output" | "annotations"> {
  const { annotations, ...rest } = output as { annotations?: FakeCheckRun["annotations"] } & NonNullable<FakeCheckRun["output"]>;
  return { output: rest, annotations };
}
