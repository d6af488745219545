// Production wiring of the loop to the workspace tools (lib/agents/tools) and git (lib/git).
import { getEnv } from "../env";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pushBranch } from "../git";
import { runGit } from "../git/run-git";
import { runWorkspaceTool, workspaceToolDescriptions, workspaceToolSchemas } from "./tools";
import type { WorkspaceCheckpointer, WorkspaceToolkit } from "./workspace-toolkit";

export const defaultToolkit: WorkspaceToolkit = {
  definitions: Object.fromEntries(
    Object.entries(workspaceToolSchemas).map(([name, schema]) => [
      name,
      { description: workspaceToolDescriptions[name as keyof typeof workspaceToolSchemas], inputSchema: schema },
    ]),
  ) as unknown as WorkspaceToolkit["definitions"],
  run: (name, args, context) => runWorkspaceTool(name, args, context),
};

/** `token` defaults to GITHUB_TOKEN; workflows pass the token resolved for the repository (App auth). */
export function createDefaultCheckpointer(options: { allowWorkflowChanges?: boolean; token?: string } = {}): WorkspaceCheckpointer {
  return {
    readHead: async (workspace) => (await runGit({ cwd: workspace, args: ["rev-parse", "HEAD"] })).stdout.trim(),
    commit: (workspace, message) => commitTurn(workspace, message),
    hasCommit: async (workspace, sha) =>
      (await runGit({ cwd: workspace, args: ["cat-file", "-e", `${sha}^{commit}`], allowedExitCodes: [1, 128] })).exitCode === 0,
    restore: async (workspace, sha) => {
      await runGit({ cwd: workspace, args: ["reset", "--hard", "--quiet", sha] });
      await runGit({ cwd: workspace, args: ["clean", "-fd", "--quiet"] });
    },
    push: async (workspace, branch) => {
      await pushBranch({ workspace, branch, token: options.token ?? getEnv().GITHUB_TOKEN, allowWorkflowChanges: options.allowWorkflowChanges });
    },
  };
}

/**
 * commitAll's result with two git processes instead of four: every turn that changes files is
 * committed, so this sits on the loop's critical path. `commit` exits 1 when nothing is staged;
 * the new sha is read from the branch's ref file (git writes it loose), else asked of git.
 */
async function commitTurn(workspace: string, message: string): Promise<string | null> {
  await runGit({ cwd: workspace, args: ["add", "--all"] });
  const committed = await runGit({ cwd: workspace, args: ["commit", "--quiet", "--no-verify", "--message", message], allowedExitCodes: [1] });
  if (committed.exitCode === 1) return null;
  try {
    const head = (await readFile(path.join(workspace, ".git", "HEAD"), "utf8")).trim();
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    const sha = ref ? (await readFile(path.join(workspace, ".git", ref), "utf8")).trim() : head;
    if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
  } catch {
    // packed or unusual layout: ask git
  }
  return (await runGit({ cwd: workspace, args: ["rev-parse", "HEAD"] })).stdout.trim();
}
