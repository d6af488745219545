import { openRegularFile, overwrite, readBounded } from "./open-regular-file";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { ToolError, type ToolContext, type ToolResult } from "./tool-error";

const maxEditableBytes = 20 * 1024 * 1024;

/** Replaces exactly one occurrence of oldText; anything else is an error the model can fix. */
export async function editFile(
  args: { path: string; oldText: string; newText: string },
  ctx: ToolContext,
): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path, { isWrite: true });
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist. Use write_file to create a new file.`);
  if (args.oldText === "") throw new ToolError("oldText is empty. Give the exact text to replace, or use write_file to rewrite the whole file.");
  if (args.oldText === args.newText) throw new ToolError("oldText and newText are identical; nothing would change.");

  const { handle } = await openRegularFile(target, args.path, "update");
  try {
    const read = await readBounded(handle, maxEditableBytes);
    if (!read.isComplete) throw new ToolError(`"${args.path}" is too large to edit (over ${maxEditableBytes} bytes).`);
    const content = read.buffer.toString("utf8");
    const positions: number[] = [];
    for (let at = content.indexOf(args.oldText); at !== -1; at = content.indexOf(args.oldText, at + args.oldText.length)) {
      positions.push(at);
    }
    if (positions.length === 0) {
      throw new ToolError(
        `oldText was not found in ${target.relative}. It must match the file exactly, including whitespace and indentation; read_file the region again and copy the text.`,
      );
    }
    if (positions.length > 1) {
      const lines = positions.map((at) => lineAt(content, at)).join(", ");
      throw new ToolError(
        `oldText was found ${positions.length} times in ${target.relative} (at lines ${lines}); include more surrounding lines so it matches exactly once.`,
      );
    }
    const at = positions[0];
    // Slicing, not String.replace: "$&" and friends in newText must stay literal.
    await overwrite(handle, content.slice(0, at) + args.newText + content.slice(at + args.oldText.length));
    const firstLine = lineAt(content, at);
    const lastLine = firstLine + args.newText.split("\n").length - 1;
    return {
      output: `Edited ${target.relative}: replaced 1 occurrence; the new text is at lines ${firstLine}-${lastLine}.`,
      isError: false,
      changedFiles: [target.relative],
    };
  } finally {
    await handle.close();
  }
}

function lineAt(content: string, index: number): number {
  let line = 1;
  for (let i = content.indexOf("\n"); i !== -1 && i < index; i = content.indexOf("\n", i + 1)) line++;
  return line;
}
