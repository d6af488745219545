import { AppError } from "../errors";
import { runGit } from "./run-git";

/**
 * The origin URL and default branch recorded when the workspace was created. Trusted:
 * the sandbox mounts .git read-only, so an agent cannot redirect the token elsewhere.
 */
export async function readWorkspaceRemote(workspace: string): Promise<{ remoteUrl: string; defaultBranch: string }> {
  const read = async (key: string) =>
    (await runGit({ cwd: workspace, args: ["config", "--get", key], allowedExitCodes: [1] })).stdout.trim();
  const remoteUrl = await read("remote.origin.url");
  if (!remoteUrl) throw new AppError("bad_request", `The workspace ${workspace} has no "origin" remote`);
  const originHead = (
    await runGit({ cwd: workspace, args: ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], allowedExitCodes: [1, 128] })
  ).stdout.trim();
  const defaultBranch = (await read("factory.defaultBranch")) || originHead.replace(/^origin\//, "") || "main";
  return { remoteUrl, defaultBranch };
}
