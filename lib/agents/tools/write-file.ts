import { mkdir } from "node:fs/promises";
import path from "node:path";
import { openRegularFile, overwrite } from "./open-regular-file";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { ToolError, type ToolContext, type ToolResult } from "./tool-error";

export async function writeFile(args: { path: string; content: string }, ctx: ToolContext): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path, { isWrite: true });
  if (target.relative === ".") throw new ToolError("A file path is required, e.g. \"src/new-file.ts\".");
  await mkdir(path.dirname(target.absolute), { recursive: true });
  const { handle } = await openRegularFile(target, args.path, "write", { directory: `"${args.path}" is a directory; give a file path inside it.` });
  try {
    await overwrite(handle, args.content);
  } finally {
    await handle.close();
  }
  const lineCount = args.content === "" ? 0 : args.content.split("\n").length - (args.content.endsWith("\n") ? 1 : 0);
  const verb = target.exists ? "Overwrote" : "Created";
  return {
    output: `${verb} ${target.relative} (${Buffer.byteLength(args.content)} bytes, ${lineCount} lines).`,
    isError: false,
    changedFiles: [target.relative],
  };
}
