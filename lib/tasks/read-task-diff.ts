import { runGit } from "../git/run-git";
import type { TaskContext } from "./load-work-context";
import { openSessionWorkspace, resolveBaseSha, taskCheckoutKey } from "./open-session-workspace";

const maxDiffChars = 60_000;

/** The task branch's change against the commit it started from (its base branch), as the reviewer sees it. */
export async function readTaskDiff(options: { context: TaskContext }): Promise<string> {
  const task = options.context.task;
  const { workspace, defaultBranch } = await openSessionWorkspace({ repository: options.context.repository, workspaceKey: taskCheckoutKey(task.id), branch: task.branch! });
  const baseSha = await resolveBaseSha({ workspace, baseBranch: task.baseBranch, defaultBranch });
  const { stdout } = await runGit({ cwd: workspace, args: ["diff", "--no-color", "--no-ext-diff", baseSha, "HEAD"] });
  return stdout.length > maxDiffChars ? `${stdout.slice(0, maxDiffChars)}\n… (diff truncated; read the files for the rest)` : stdout;
}
