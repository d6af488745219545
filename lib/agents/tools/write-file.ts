import { mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { ToolError, type ToolContext, type ToolResult } from "./tool-error";

export async function writeFile(args: { path: string; content: string }, ctx: ToolContext): Promise<ToolResult> {
  const target = resolveWorkspacePath(ctx.workspace, args.path, { isWrite: true });
  if (target.relative === ".") throw new ToolError("A file path is required, e.g. \"src/new-file.ts\".");
  if (target.exists && statSync(target.absolute).isDirectory()) {
    throw new ToolError(`"${args.path}" is a directory; give a file path inside it.`);
  }
  mkdirSync(path.dirname(target.absolute), { recursive: true });
  writeFileSync(target.absolute, args.content);
  const lineCount = args.content === "" ? 0 : args.content.split("\n").length - (args.content.endsWith("\n") ? 1 : 0);
  const verb = target.exists ? "Overwrote" : "Created";
  return {
    output: `${verb} ${target.relative} (${Buffer.byteLength(args.content)} bytes, ${lineCount} lines).`,
    isError: false,
    changedFiles: [target.relative],
  };
}
