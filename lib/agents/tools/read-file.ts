import { openRegularFile, readBounded } from "./open-regular-file";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { defaultToolOutputBytes, ToolError, type ToolContext, type ToolResult } from "./tool-error";

const maxFileBytes = 20 * 1024 * 1024;
const maxLineChars = 2000;

/** Numbered lines (like `cat -n`), so edits and review comments can cite line numbers. */
export async function readFile(
  args: { path: string; startLine?: number; endLine?: number },
  ctx: ToolContext,
): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path);
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist. Use list_files or search to find the right path.`);
  const { handle, stats } = await openRegularFile(target, args.path, "read", {
    directory: `"${args.path}" is a directory; use list_files to see its contents.`,
  });
  let buffer: Buffer;
  try {
    if (stats.size > maxFileBytes) throw new ToolError(`"${args.path}" is too large to read (${stats.size} bytes).`);
    const read = await readBounded(handle, maxFileBytes);
    if (!read.isComplete) throw new ToolError(`"${args.path}" is too large to read (over ${maxFileBytes} bytes).`);
    buffer = read.buffer;
  } finally {
    await handle.close();
  }

  if (buffer.subarray(0, 8000).includes(0)) {
    return { output: `"${target.relative}" is a binary file (${buffer.length} bytes); not shown.`, isError: false, changedFiles: [] };
  }
  const lines = buffer.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) return { output: "(empty file)", isError: false, changedFiles: [] };

  const start = args.startLine ?? 1;
  const end = Math.min(args.endLine ?? lines.length, lines.length);
  if (start > lines.length) throw new ToolError(`startLine ${start} is past the end of "${args.path}", which has ${lines.length} lines.`);
  if (end < start) throw new ToolError(`endLine ${end} is before startLine ${start}.`);

  const budget = ctx.maxOutputBytes ?? defaultToolOutputBytes;
  const out: string[] = [];
  let bytes = 0;
  let last = start - 1;
  for (let number = start; number <= end; number++) {
    const text = lines[number - 1];
    const shown = text.length > maxLineChars ? `${text.slice(0, maxLineChars)}… [line cut at ${maxLineChars} chars]` : text;
    const line = `${String(number).padStart(6)}\t${shown}`;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > budget && out.length > 0) break;
    out.push(line);
    last = number;
  }
  if (last < end || start > 1 || end < lines.length) {
    const more = last < lines.length ? `; call read_file with startLine=${last + 1} to read on` : "";
    out.push(`[lines ${start}-${last} of ${lines.length}${more}]`);
  }
  return { output: out.join("\n"), isError: false, changedFiles: [] };
}
