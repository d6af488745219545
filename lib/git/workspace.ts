// Git workspaces on disk: mirrors, per-task checkouts, resuming, and cleanup.
import { existsSync, mkdirSync, rmSync, realpathSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { factoryBranchPattern } from "./branches";
import { hasRef, readWorkspaceRemote, runGit } from "./run-git";

// Where mirrors and workspaces live under the data dir. Names come from the database and
// GitHub, so they are checked before they become path segments.
export type RepositoryRef = {
  owner: string;
  name: string;
  /** Clone URL without credentials, e.g. https://github.com/owner/name.git or file:///srv/x.git */
  remoteUrl: string;
  defaultBranch: string;
};

const segmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function getDataDir(): string {
  return path.resolve(getEnv().FACTORY_DATA_DIR);
}

export function getMirrorPath(repo: Pick<RepositoryRef, "owner" | "name">): string {
  for (const [field, value] of [["owner", repo.owner], ["name", repo.name]]) {
    if (!segmentPattern.test(value) || value.includes("..")) {
      throw new AppError("bad_request", `Invalid repository ${field} "${value}": letters, digits, ".", "_" and "-" only`);
    }
  }
  return path.join(getDataDir(), "repos", repo.owner, `${repo.name}.git`);
}

function getWorkspacesDir(): string {
  return path.join(getDataDir(), "workspaces");
}

export function getWorkspacePath(sessionId: string): string {
  if (!segmentPattern.test(sessionId) || sessionId.includes("..")) {
    throw new AppError("bad_request", `Invalid session id "${sessionId}": letters, digits, ".", "_" and "-" only`);
  }
  return path.join(getWorkspacesDir(), sessionId);
}

/** Refuses URLs carrying credentials: the token must only ever travel per command. */
function assertCleanRemoteUrl(remoteUrl: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(remoteUrl)) {
    throw new AppError("bad_request", "The repository URL must not contain credentials; the token is sent per command");
  }
}

// One bare mirror per repository: a local object cache, so a new session's workspace is a
// local copy plus a small fetch instead of a full clone from GitHub.
const pending = new Map<string, Promise<unknown>>();

/** Creates or updates the mirror; concurrent callers for one repository take turns. */
async function ensureMirror(options: { repo: RepositoryRef; token?: string }): Promise<string> {
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

// A session's workspace: a standalone clone (copied from the repository's mirror) at
// <data>/workspaces/<session>, on branch factory/<run>-<task>. Standalone rather than a
// `git worktree`, so its .git is inside the workspace: git works in the sandbox, and the
// sandbox never needs to see the mirror, the data dir or another session's files.
export type PreparedWorkspace = {
  workspace: string;
  branch: string;
  headSha: string;
  /** False when the branch was started from the default branch. */
  hasRemoteBranch: boolean;
  /** True when an existing workspace was fetched and reset instead of created. */
  isResumed: boolean;
};

export async function prepareWorkspace(options: {
  repo: RepositoryRef;
  sessionId: string;
  branch: string;
  token?: string;
}): Promise<PreparedWorkspace> {
  const { repo, branch, token } = options;
  const workspace = getWorkspacePath(options.sessionId);
  if (existsSync(path.join(workspace, ".git"))) {
    const resumed = await resumeWorkspace({ workspace, branch, token });
    return { workspace, branch, ...resumed, isResumed: true };
  }

  const mirror = await ensureMirror({ repo, token });
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(path.dirname(workspace), { recursive: true });
  await runGit({ cwd: path.dirname(workspace), args: ["clone", "--quiet", "--no-hardlinks", "--no-checkout", mirror, workspace] });
  // Pushes and later fetches go straight to the real remote (token per command).
  await runGit({ cwd: workspace, args: ["remote", "set-url", "origin", repo.remoteUrl] });
  await runGit({ cwd: workspace, args: ["config", "factory.defaultBranch", repo.defaultBranch] });
  const checkedOut = await checkoutFactoryBranch({ workspace, branch, defaultBranch: repo.defaultBranch });
  return { workspace, branch, ...checkedOut, isResumed: false };
}

/** A user's own checkout (CLI `--workspace <dir>`), used in place; returns its top level. */
export async function openLocalWorkspace(options: { path: string }): Promise<string> {
  let dir: string;
  try {
    dir = realpathSync(options.path);
  } catch {
    throw new AppError("bad_request", `Workspace ${options.path} does not exist`);
  }
  const { stdout, exitCode } = await runGit({ cwd: dir, args: ["rev-parse", "--show-toplevel"], allowedExitCodes: [128] });
  if (exitCode !== 0) throw new AppError("bad_request", `Workspace ${dir} is not a git checkout (run \`git init\` there first)`);
  return realpathSync(stdout.trim());
}

/** Fetches the remote, then resets the workspace to its branch's head (see checkoutFactoryBranch). */
async function resumeWorkspace(options: {
  workspace: string;
  branch: string;
  token?: string;
}): Promise<{ headSha: string; hasRemoteBranch: boolean }> {
  const { workspace, branch, token } = options;
  const { remoteUrl, defaultBranch } = await readWorkspaceRemote(workspace);
  await runGit({
    cwd: workspace,
    args: ["fetch", "--prune", "--quiet", "origin", "+refs/heads/*:refs/remotes/origin/*"],
    token,
    remoteUrl,
  });
  return checkoutFactoryBranch({ workspace, branch, defaultBranch });
}


// Puts a workspace exactly on the remote head of its branch, or starts the branch from the
// default branch when it hasn't been pushed yet. Local leftovers (from a crashed chunk) are
// discarded: the pushed branch is the truth.
async function checkoutFactoryBranch(options: {
  workspace: string;
  branch: string;
  defaultBranch: string;
}): Promise<{ headSha: string; hasRemoteBranch: boolean }> {
  const { workspace: cwd, branch, defaultBranch } = options;
  if (!factoryBranchPattern.test(branch)) {
    throw new AppError("bad_request", `Branch "${branch}" is not a factory branch (factory/<run>-<task>)`);
  }
  const hasRemoteBranch = await hasRef(cwd, `refs/remotes/origin/${branch}`);
  const start = hasRemoteBranch ? `origin/${branch}` : `origin/${defaultBranch}`;
  if (!hasRemoteBranch && !(await hasRef(cwd, `refs/remotes/origin/${defaultBranch}`))) {
    throw new AppError("not_found", `The remote has neither branch "${branch}" nor the default branch "${defaultBranch}"`);
  }
  await runGit({ cwd, args: ["checkout", "--quiet", "--force", "--no-track", "-B", branch, start] });
  await runGit({ cwd, args: ["reset", "--quiet", "--hard", start] });
  await runGit({ cwd, args: ["clean", "-fdq"] });
  const { stdout } = await runGit({ cwd, args: ["rev-parse", "HEAD"] });
  return { headSha: stdout.trim(), hasRemoteBranch };
}


// Workspaces are caches (the pushed branch and the database hold the truth), so finished
// or idle ones can go at any time. Mirrors (<data>/repos) are never removed here: one per
// repository, they make the next clone cheap.
/** Names of the workspaces under the data dir (session ids, checkout-<task>, base-<task>). */
export function listWorkspaces(): string[] {
  try {
    return readdirSync(getWorkspacesDir());
  } catch {
    return [];
  }
}

/** When a workspace was last used, in ms since the epoch (0 when it is gone). */
export function workspaceLastUsedAt(name: string): number {
  return lastUsedAt(path.join(getWorkspacesDir(), name));
}

/** Removes the named workspaces; returns the names removed. */
export function removeWorkspaces(names: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const name of names) {
    rmSync(getWorkspacePath(name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The index changes on every status, add and commit, so it tracks use better than the dir. */
function lastUsedAt(workspace: string): number {
  const times = [workspace, path.join(workspace, ".git", "index"), path.join(workspace, ".git", "HEAD")].map((file) => {
    try {
      return statSync(/*turbopackIgnore: true*/ file).mtimeMs;
    } catch {
      return 0;
    }
  });
  return Math.max(...times);
}
