// Shared lookups for pull request routes: find a PR, render it with live git data.
import { countCommits, diffFiles, resolveBranch } from "./git-repo-ops";
import { notFound, type FakeInternals } from "./fake-http";
import { repoKey, type FakePull, type FakeRepository } from "./fake-state";
import { toPullRequest } from "./github-shapes";

export function findPullOrThrow(fake: FakeInternals, repo: FakeRepository, number: string | number): FakePull {
  const pull = fake.state.pulls.find((p) => p.repoKey === repoKey(repo.owner, repo.name) && p.number === Number(number));
  if (!pull) throw notFound();
  return pull;
}

/** Head and base shas as GitHub reports them now (the head follows pushes to the branch). */
export async function pullShas(repo: FakeRepository, pull: FakePull): Promise<{ head: string; base: string }> {
  const head = (await resolveBranch(repo.dir, pull.head)) ?? pull.lastHeadSha;
  pull.lastHeadSha = head;
  const base = (await resolveBranch(repo.dir, pull.base)) ?? head;
  return { head, base };
}

export async function renderPull(fake: FakeInternals, repo: FakeRepository, pull: FakePull) {
  const shas = await pullShas(repo, pull);
  const files = pull.isMerged ? [] : await diffFiles(repo.dir, shas.base, shas.head);
  const commits = pull.isMerged ? 1 : await countCommits(repo.dir, shas.base, shas.head);
  return toPullRequest(fake.shape, repo, pull, shas, {
    commits,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changedFiles: files.length,
  });
}
