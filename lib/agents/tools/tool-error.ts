/** A mistake the model can fix (bad path, no match, ...); its message goes back to the model verbatim. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

/** What every workspace tool returns to the agent loop. */
export type ToolResult = {
  output: string;
  isError: boolean;
  /** Workspace-relative paths the call wrote or changed. */
  changedFiles: string[];
};

export type ToolContext = {
  workspace: string;
  commandTimeoutSec?: number;
  maxOutputBytes?: number;
};

export const defaultToolOutputBytes = 48 * 1024;
