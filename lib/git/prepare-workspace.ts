// A session's workspace: a standalone clone (copied from the repository's mirror) at
// <data>/workspaces/<session>, on branch factory/<run>-<task>. Standalone rather than a
// `git worktree`, so its .git is inside the workspace: git works in the sandbox, and the
// sandbox never needs to see the mirror, the data dir or another session's files.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { checkoutFactoryBranch } from "./checkout-factory-branch";
import { ensureMirror } from "./ensure-mirror";
import { resumeWorkspace } from "./resume-workspace";
import { runGit } from "./run-git";
import { getWorkspacePath, type RepositoryRef } from "./workspace-paths";

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
