// Production wiring of the loop to the workspace tools (lib/agents/tools) and git (lib/git).
import { getEnv } from "../env";
import { commitAll } from "../git/commit-all";
import { pushBranch } from "../git/push-branch";
import { runGit } from "../git/run-git";
import { toolchainCacheDir } from "../sandbox/sandbox-env";
import { runWorkspaceTool, workspaceToolDescriptions, workspaceToolSchemas } from "./tools";
import { workspaceToolNames } from "./roles/role-definitions";
import type { WorkspaceCheckpointer, WorkspaceToolkit } from "./workspace-toolkit";

/** Every workspace tool's description and input schema, keyed by its name. */
function buildToolDefinitions(): WorkspaceToolkit["definitions"] {
  const definitions: Partial<WorkspaceToolkit["definitions"]> = {};
  for (const name of workspaceToolNames) {
    definitions[name] = { description: workspaceToolDescriptions[name], inputSchema: workspaceToolSchemas[name] };
  }
  return definitions as WorkspaceToolkit["definitions"];
}

export const defaultToolkit: WorkspaceToolkit = {
  definitions: buildToolDefinitions(),
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
      await runGit({ cwd: workspace, args: ["clean", "-fd", "--quiet", "-e", `/${toolchainCacheDir}/`] });
    },
    push: async (workspace, branch) => {
      await pushBranch({ workspace, branch, token: options.token ?? getEnv().GITHUB_TOKEN, allowWorkflowChanges: options.allowWorkflowChanges });
    },
  };
}

