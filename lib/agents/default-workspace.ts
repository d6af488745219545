// Production wiring of the loop to the workspace tools (lib/agents/tools) and git (lib/git).
import { getEnv } from "../env";
import { commitAll, pushBranch } from "../git";
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
    commit: (workspace, message) => commitAll({ workspace, message }),
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
