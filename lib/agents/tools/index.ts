// The workspace tools of DESIGN.md's tool contract. runWorkspaceTool never throws for a
// model mistake: invalid arguments, refused paths and failed edits come back as isError
// results the model can read and act on.
import { redactSecrets } from "../../redact";
import { editFile } from "./edit-file";
import { listFiles } from "./list-files";
import { readFile } from "./read-file";
import { runCommand } from "./run-command";
import { searchFiles } from "./search-files";
import { ToolError, type ToolContext, type ToolResult } from "./tool-error";
import { workspaceToolSchemas, type WorkspaceToolName } from "./workspace-tool-schemas";
import { writeFile } from "./write-file";

export { resolveWorkspacePath } from "./resolve-workspace-path";
export { ToolError, type ToolContext, type ToolResult } from "./tool-error";
export {
  workspaceToolDescriptions,
  workspaceToolSchemas,
  type WorkspaceToolArgs,
  type WorkspaceToolName,
} from "./workspace-tool-schemas";

type Handler = (args: never, ctx: ToolContext) => Promise<ToolResult>;

const handlers: Record<WorkspaceToolName, Handler> = {
  list_files: listFiles,
  read_file: readFile,
  search: searchFiles,
  write_file: writeFile,
  edit_file: editFile,
  run_command: runCommand,
};

export function isWorkspaceToolName(name: string): name is WorkspaceToolName {
  return Object.hasOwn(workspaceToolSchemas, name);
}

export async function runWorkspaceTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (!isWorkspaceToolName(name)) {
    return failure(`Unknown tool "${name}". Available tools: ${Object.keys(workspaceToolSchemas).join(", ")}.`);
  }
  const parsed = workspaceToolSchemas[name].safeParse(args ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(arguments)"}: ${issue.message}`);
    return failure(`Invalid arguments for ${name}: ${problems.join("; ")}`);
  }
  try {
    const result = await (handlers[name] as (args: unknown, ctx: ToolContext) => Promise<ToolResult>)(parsed.data, ctx);
    // Belt and braces: whatever a file or command printed, a configured secret never reaches the model.
    return { ...result, output: redactSecrets(result.output) };
  } catch (error) {
    if (error instanceof ToolError) return failure(error.message);
    const message = error instanceof Error ? error.message : String(error);
    return failure(`${name} failed: ${message}`);
  }
}

function failure(message: string): ToolResult {
  return { output: redactSecrets(message), isError: true, changedFiles: [] };
}
