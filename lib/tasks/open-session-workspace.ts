// Workspaces are caches: every workflow step re-creates or refreshes its own from GitHub (the
// branch is the truth), so a step can run on any worker.
import { db } from "../db";
import { prepareWorkspace } from "../git";
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
