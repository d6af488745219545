// What the loop needs from the workspace tools and the git workspace; injectable so tests
// and the benchmark can swap in their own, production uses lib/agents/tools and lib/git.
import type { FlexibleSchema } from "ai";
import type { WorkspaceToolName } from "./roles/role-definitions";

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
