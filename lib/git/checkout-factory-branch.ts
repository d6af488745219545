// Puts a workspace exactly on the remote head of its branch, or starts the branch from the
// default branch when it hasn't been pushed yet. Local leftovers (from a crashed chunk) are
// discarded: the pushed branch is the truth.
import { AppError } from "../errors";
import { factoryBranchPattern } from "./build-branch-name";
import { runGit } from "./run-git";

export async function checkoutFactoryBranch(options: {
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

export async function hasRef(cwd: string, ref: string): Promise<boolean> {
  const { exitCode } = await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", ref], allowedExitCodes: [1] });
  return exitCode === 0;
}
