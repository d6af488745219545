// One bare mirror per repository: a local object cache, so a new session's workspace is a
// local copy plus a small fetch instead of a full clone from GitHub.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { runGit } from "./run-git";
import { assertCleanRemoteUrl, getMirrorPath, type RepositoryRef } from "./workspace-paths";

const pending = new Map<string, Promise<unknown>>();

/** Creates or updates the mirror; concurrent callers for one repository take turns. */
export async function ensureMirror(options: { repo: RepositoryRef; token?: string }): Promise<string> {
  const mirror = getMirrorPath(options.repo);
  const previous = pending.get(mirror) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => updateMirror(mirror, options));
  pending.set(mirror, current);
  try {
    await current;
  } finally {
    if (pending.get(mirror) === current) pending.delete(mirror);
  }
  return mirror;
}

async function updateMirror(mirror: string, { repo, token }: { repo: RepositoryRef; token?: string }) {
  assertCleanRemoteUrl(repo.remoteUrl);
  const auth = { token, remoteUrl: repo.remoteUrl };
  if (!existsSync(path.join(mirror, "HEAD"))) {
    mkdirSync(path.dirname(mirror), { recursive: true });
    await runGit({ cwd: path.dirname(mirror), args: ["init", "--bare", "--quiet", mirror] });
    await runGit({ cwd: mirror, args: ["remote", "add", "origin", repo.remoteUrl] });
  }
  await runGit({ cwd: mirror, args: ["remote", "set-url", "origin", repo.remoteUrl] });
  // Branches only: GitHub's refs/pull/* would multiply the size for nothing.
  await runGit({ cwd: mirror, args: ["fetch", "--prune", "--quiet", "origin", "+refs/heads/*:refs/heads/*"], ...auth });
}
