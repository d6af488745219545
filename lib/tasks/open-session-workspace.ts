// Workspaces are caches: every workflow step re-creates or refreshes its own from GitHub (the
// branch is the truth), so a step can run on any worker.
import { db } from "../db";
import { AppError } from "../errors";
import { prepareWorkspace } from "../git/prepare-workspace";
import { runGit } from "../git/run-git";
import { resolveGitHubToken } from "../github/get-github-client";
import { readRepository } from "../github/read-repository";

export async function openSessionWorkspace(options: {
  repository: { id: string; owner: string; name: string; defaultBranch: string };
  workspaceKey: string;
  branch: string;
}) {
  const ref = { owner: options.repository.owner, repo: options.repository.name };
  const [info, token] = await Promise.all([readRepository(ref), resolveGitHubToken(ref)]);
  if (info.defaultBranch !== options.repository.defaultBranch) {
    await db.repository.update({ where: { id: options.repository.id }, data: { defaultBranch: info.defaultBranch } });
  }
  const prepared = await prepareWorkspace({
    repo: { owner: ref.owner, name: ref.repo, remoteUrl: info.cloneUrl, defaultBranch: info.defaultBranch },
    sessionId: options.workspaceKey,
    branch: options.branch,
    token,
  });
  return { ...prepared, token, defaultBranch: info.defaultBranch };
}

/** The task's own checkout for deterministic work (tests, diffs), shared by those steps. */
export const taskCheckoutKey = (taskId: string) => `checkout-${taskId}`;

/** A checkout per best-of-N attempt, for its checks while attempts are judged side by side. */
export const attemptCheckoutKey = (taskId: string, attempt: number) => `checkout-${taskId}-attempt-${attempt}`;

/** A second checkout per task, for running tests on its base commit. */
export const taskBaseCheckoutKey = (taskId: string) => `base-${taskId}`;

/** The workspace detached at one commit (e.g. the task's base), cleaned of earlier runs' files. */
export async function openCommitWorkspace(options: Parameters<typeof openSessionWorkspace>[0] & { sha: string }) {
  const opened = await openSessionWorkspace(options);
  await runGit({ cwd: opened.workspace, args: ["checkout", "--quiet", "--force", "--detach", options.sha] });
  await runGit({ cwd: opened.workspace, args: ["clean", "-fdq"] });
  return opened;
}

/**
 * The commit the task's change starts from: where its branch left the base branch (or the
 * default branch, once a merged dependency's branch is gone). Needs a fetched workspace.
 */
export async function resolveBaseSha(options: { workspace: string; baseBranch: string | null; defaultBranch: string }): Promise<string> {
  const cwd = options.workspace;
  const candidates = [options.baseBranch, options.defaultBranch].filter((name): name is string => !!name);
  for (const name of candidates) {
    const { exitCode } = await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${name}`], allowedExitCodes: [1] });
    if (exitCode !== 0) continue;
    const { stdout } = await runGit({ cwd, args: ["merge-base", "HEAD", `refs/remotes/origin/${name}`], allowedExitCodes: [1] });
    if (stdout.trim()) return stdout.trim();
  }
  throw new AppError("not_found", `Cannot find where the task branch left ${candidates.join(" or ")}`);
}
