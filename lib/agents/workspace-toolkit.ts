// The workspace the loop works in: the toolkit interface, its production wiring, and the
// memoised AI SDK tool set a role sends.
import { type FlexibleSchema, tool, type ToolSet } from "ai";
import { runWorkspaceTool, workspaceToolDescriptions, workspaceToolSchemas } from "@/lib/agents/tools/workspace-tools";
import { getEnv } from "@/lib/env";
import { commitAll, pushBranch } from "@/lib/git/branches";
import { runGit } from "@/lib/git/run-git";
import { toolchainCacheDir } from "@/lib/sandbox/bwrap";
import { type WorkspaceToolName, type RoleDefinition, terminalTools, workspaceToolNames } from "./roles";

// What the loop needs from the workspace tools and the git workspace; injectable so tests
// and the benchmark can swap in their own, production uses lib/agents/tools and lib/git.
export type WorkspaceToolResult = { output: string; isError: boolean; changedFiles: string[] };

export type WorkspaceToolkit = {
  definitions: Record<WorkspaceToolName, { description: string; inputSchema: FlexibleSchema<unknown> }>;
  /** Never throws for model mistakes; a throw is treated as a tool failure anyway. */
  run: (name: WorkspaceToolName, args: unknown, context: { workspace: string; commandTimeoutSec?: number }) => Promise<WorkspaceToolResult>;
};

export type WorkspaceCheckpointer = {
  /** Current HEAD sha. */
  readHead: (workspace: string) => Promise<string>;
  /** Commits everything; returns the new sha, or null when nothing changed. */
  commit: (workspace: string, message: string) => Promise<string | null>;
  /** Whether the commit is in this workspace (a resumed chunk may run on another machine). Absent: assume yes. */
  hasCommit?: (workspace: string, sha: string) => Promise<boolean>;
  /** Discards uncommitted work: the workspace becomes exactly `sha` (resume after a crash). */
  restore: (workspace: string, sha: string) => Promise<void>;
  /** Pushes HEAD to the branch; only called when the session has a branch to push to. */
  push?: (workspace: string, branch: string) => Promise<void>;
};

// The AI SDK tool definitions for a role, without execute functions: the loop runs tools
// itself so it can time them, cap their output and turn every failure into a tool result.
const cache = new WeakMap<WorkspaceToolkit["definitions"], Map<string, ToolSet>>();

/** Memoised per role, so every call sends byte-identical tool definitions in the same order. */
export function buildToolSet(role: RoleDefinition, definitions: WorkspaceToolkit["definitions"]): ToolSet {
  const byRole = cache.get(definitions) ?? new Map<string, ToolSet>();
  cache.set(definitions, byRole);
  const existing = byRole.get(role.role);
  if (existing) return existing;
  const tools: ToolSet = {};
  for (const name of role.workspaceTools) {
    tools[name] = tool({ description: definitions[name].description, inputSchema: definitions[name].inputSchema });
  }
  const terminal = terminalTools[role.terminalTool] as { description: string; inputSchema: FlexibleSchema<unknown> };
  tools[role.terminalTool] = tool({ description: terminal.description, inputSchema: terminal.inputSchema });
  byRole.set(role.role, tools);
  return tools;
}

// Production wiring of the loop to the workspace tools (lib/agents/tools) and git (lib/git).
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
