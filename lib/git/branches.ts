// Factory branches: their names, the local commit of a workspace, and the push.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { toolchainCacheDir } from "@/lib/sandbox/bwrap";
import { hasRef, readWorkspaceRemote, runGit } from "./run-git";

/**
 * The only branches agents may push to: `factory/<run>-<task>`, and for best-of-N coder
 * attempts `factory/<run>-<task>-attempt-<N>` (deleted once the winner is on the task's branch).
 */
export const factoryBranchPattern = /^factory\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function buildBranchName(options: { runId: string; taskKey: string; attempt?: number | null }): string {
  const slug = (value: string) =>
    value.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^[-.]+|[-.]+$/g, "");
  const suffix = options.attempt ? `-attempt-${options.attempt}` : "";
  const branch = `factory/${slug(options.runId)}-${slug(options.taskKey)}${suffix}`.replace(/\.lock$/, "");
  if (!factoryBranchPattern.test(branch)) {
    throw new AppError("bad_request", `Cannot build a branch name from run "${options.runId}" and task "${options.taskKey}"`);
  }
  return branch;
}

/** Who writes a branch, as a branch lease names its holder: a task's workflow or a follow-up. */
export const taskLeaseHolder = (taskId: string) => `task:${taskId}`;
export const followUpLeaseHolder = (followUpId: string) => `follow-up:${followUpId}`;

// Factory branches are factory/<run>-<task> (named by lib/git's buildBranchName): the only
// branches agents may push to, and the only PRs the factory acts on.
export function isFactoryBranch(branch: string | null | undefined): boolean {
  return typeof branch === "string" && factoryBranchPattern.test(branch);
}

/**
 * Stages everything but the toolchain caches (downloaded modules the sandbox keeps in the
 * workspace) and commits it as the bot; the new sha, or null when nothing changed.
 * Agents commit after every turn that changes files, so this sits on the loop's critical path
 * and uses two git processes: `commit` exits 1 when nothing is staged, and the new sha is read
 * from the branch's ref file (git writes it loose), else asked of git.
 */
export async function commitAll(options: { workspace: string; message: string }): Promise<string | null> {
  const cwd = options.workspace;
  await runGit({ cwd, args: ["add", "--all", "--", ".", `:(exclude)${toolchainCacheDir}`] });
  const committed = await runGit({ cwd, args: ["commit", "--quiet", "--no-verify", "--message", options.message], allowedExitCodes: [1] });
  if (committed.exitCode === 1) return null;
  try {
    const head = (await readFile(path.join(cwd, ".git", "HEAD"), "utf8")).trim();
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    const sha = ref ? (await readFile(path.join(cwd, ".git", ref), "utf8")).trim() : head;
    if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
  } catch {
    // packed or unusual layout: ask git
  }
  return (await runGit({ cwd, args: ["rev-parse", "HEAD"] })).stdout.trim();
}

// The only way workspace changes leave the machine. Enforces the security rules: factory/*
// branches only, never the default branch, no .github/workflows changes without opt-in.
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
