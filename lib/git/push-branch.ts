// The only way workspace changes leave the machine. Enforces the security rules: factory/*
// branches only, never the default branch, no .github/workflows changes without opt-in.
import { AppError } from "../errors";
import { factoryBranchPattern } from "./build-branch-name";
import { hasRef } from "./checkout-factory-branch";
import { readWorkspaceRemote } from "./read-workspace-remote";
import { runGit } from "./run-git";

export type PushBranchOptions = {
  workspace: string;
  /** Defaults to the workspace's current branch. */
  branch?: string;
  token?: string;
  /** A per-run opt-in; without it, changes under .github/workflows are refused. */
  allowWorkflowChanges?: boolean;
};

export async function pushBranch(options: PushBranchOptions): Promise<{ branch: string; sha: string }> {
  const cwd = options.workspace;
  const branch = options.branch ?? (await runGit({ cwd, args: ["symbolic-ref", "--short", "HEAD"] })).stdout.trim();
  const { remoteUrl, defaultBranch } = await readWorkspaceRemote(cwd);
  if (!factoryBranchPattern.test(branch) || branch === defaultBranch) {
    throw new AppError("forbidden", `Refusing to push to "${branch}": agents push only to factory/* branches, never to the default branch`);
  }
  const ref = `refs/heads/${branch}`;
  if (!(await hasRef(cwd, ref))) throw new AppError("not_found", `There is no local branch "${branch}" to push`);

  if (!options.allowWorkflowChanges) {
    const workflowFiles = (await listChangedFiles(cwd, ref, defaultBranch)).filter((file) => file.startsWith(".github/workflows/"));
    if (workflowFiles.length > 0) {
      throw new AppError(
        "forbidden",
        `Refusing to push changes to GitHub Actions workflows (${workflowFiles.join(", ")}) without the run's explicit opt-in`,
      );
    }
  }
  await runGit({ cwd, args: ["push", "--quiet", "--no-verify", "origin", `${ref}:${ref}`], token: options.token, remoteUrl });
  const { stdout } = await runGit({ cwd, args: ["rev-parse", ref] });
  return { branch, sha: stdout.trim() };
}

/** Files the branch changes relative to where it left the default branch (all files if unknown). */
async function listChangedFiles(cwd: string, ref: string, defaultBranch: string): Promise<string[]> {
  const base = `refs/remotes/origin/${defaultBranch}`;
  const lines = async (args: string[]) => (await runGit({ cwd, args })).stdout.split("\0").filter(Boolean);
  if (!(await hasRef(cwd, base))) return lines(["ls-tree", "-r", "-z", "--name-only", ref]);
  const mergeBase = (await runGit({ cwd, args: ["merge-base", base, ref], allowedExitCodes: [1] })).stdout.trim();
  if (!mergeBase) return lines(["ls-tree", "-r", "-z", "--name-only", ref]);
  return lines(["diff", "--name-only", "-z", "--no-renames", mergeBase, ref]);
}
