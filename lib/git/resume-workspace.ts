import { checkoutFactoryBranch } from "./checkout-factory-branch";
import { readWorkspaceRemote } from "./read-workspace-remote";
import { runGit } from "./run-git";

/** Fetches the remote, then resets the workspace to its branch's head (see checkoutFactoryBranch). */
export async function resumeWorkspace(options: {
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
