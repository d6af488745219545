// Keeps a task branch on top of what it builds on. Before every iteration the latest base
// branch (a dependency's branch that changed after review, or the default branch) and any
// further dependencies' branches are merged in and pushed. A merge, not a rebase: the PR's
// history and its review comments stay valid, and nothing is force-pushed. A conflicting
// merge is left out and reported, so the iteration goes on with the branch as it was.
import { pushBranch } from "../git/push-branch";
import { runGit } from "../git/run-git";
import type { TaskContext } from "./load-work-context";
import { openSessionWorkspace, taskCheckoutKey } from "./open-session-workspace";

export type SyncResult = { headSha: string; merged: string[]; conflicts: { branch: string; files: string[] }[] };

export async function syncTaskBranch(options: { context: TaskContext; branches: string[] }): Promise<SyncResult> {
  const task = options.context.task;
  const opened = await openSessionWorkspace({ repository: options.context.repository, workspaceKey: taskCheckoutKey(task.id), branch: task.branch! });
  const cwd = opened.workspace;
  const merged: string[] = [];
  const conflicts: SyncResult["conflicts"] = [];
  for (const name of new Set(options.branches)) {
    const ref = `refs/remotes/origin/${name}`;
    if ((await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", ref], allowedExitCodes: [1] })).exitCode !== 0) continue;
    if ((await runGit({ cwd, args: ["merge-base", "--is-ancestor", ref, "HEAD"], allowedExitCodes: [1] })).exitCode === 0) continue;
    const merge = await runGit({ cwd, args: ["merge", "--no-edit", "--no-ff", "-m", `Merge ${name} into ${task.branch}`, ref], allowedExitCodes: [1] });
    if (merge.exitCode === 0) {
      merged.push(name);
      continue;
    }
    const { stdout } = await runGit({ cwd, args: ["diff", "--name-only", "--diff-filter=U"] });
    conflicts.push({ branch: name, files: stdout.split("\n").filter(Boolean) });
    await runGit({ cwd, args: ["merge", "--abort"] });
  }
  if (merged.length) await pushBranch({ workspace: cwd, branch: task.branch!, token: opened.token, allowWorkflowChanges: options.context.run.allowWorkflowChanges });
  const { stdout } = await runGit({ cwd, args: ["rev-parse", "HEAD"] });
  return { headSha: stdout.trim(), merged, conflicts };
}
