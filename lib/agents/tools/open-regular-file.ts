// Opens a workspace file without trusting what sits at the path. O_NOFOLLOW refuses a
// symlink swapped in after the path was resolved; O_NONBLOCK keeps a FIFO from hanging the
// open; fstat on the opened descriptor (not the path: no check-then-open race) refuses
// FIFOs, sockets and devices; /proc/self/fd confirms the descriptor is inside the workspace.
import { constants, type Stats } from "node:fs";
import { open, readlink, type FileHandle } from "node:fs/promises";
import type { ResolvedPath } from "./resolve-workspace-path";
import { isInsideWorkspace } from "./resolve-workspace-path";
import { ToolError } from "./tool-error";

export type OpenMode = "read" | "write" | "update";

const modeFlags: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  // No O_TRUNC: the file is truncated only after fstat proves it is a regular file.
  write: constants.O_WRONLY | constants.O_CREAT,
  update: constants.O_RDWR,
};

export type OpenedFile = { handle: FileHandle; stats: Stats };

export async function openRegularFile(
  target: ResolvedPath,
  requested: string,
  mode: OpenMode,
  messages: { directory?: string } = {},
): Promise<OpenedFile> {
  const directoryMessage = messages.directory ?? `"${requested}" is a directory, not a file.`;
  let handle: FileHandle;
  try {
    handle = await open(target.absolute, modeFlags[mode] | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw new ToolError(directoryMessage);
    if (code === "ELOOP") throw new ToolError(`Refused "${requested}": it is a symbolic link; the file tools do not follow links they did not resolve.`);
    // Opening a socket, or a FIFO for writing with no reader, fails with ENXIO.
    if (code === "ENXIO" || code === "EOPNOTSUPP") throw new ToolError(notRegularMessage(requested, "a socket or a named pipe (FIFO)"));
    if (code === "ENOENT") throw new ToolError(`"${requested}" does not exist.`);
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new ToolError(directoryMessage);
    if (!stats.isFile()) throw new ToolError(notRegularMessage(requested, describeKind(stats)));
    await assertDescriptorInside(handle, target.root, requested);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads at most maxBytes (+1, to tell "too large" apart) from an opened regular file. */
export async function readBounded(handle: FileHandle, maxBytes: number): Promise<{ buffer: Buffer; isComplete: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= maxBytes) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  const buffer = Buffer.concat(chunks, total);
  return total > maxBytes ? { buffer: buffer.subarray(0, maxBytes), isComplete: false } : { buffer, isComplete: true };
}

/** Replaces the whole content of an opened regular file. */
export async function overwrite(handle: FileHandle, content: string): Promise<void> {
  await handle.truncate(0);
  await handle.write(content, 0, "utf8");
}

function notRegularMessage(requested: string, kind: string): string {
  return `Refused "${requested}": it is ${kind}, not a regular file. The file tools only read and write regular files; inspect it with run_command if you must.`;
}

function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

async function assertDescriptorInside(handle: FileHandle, root: string, requested: string): Promise<void> {
  let opened: string;
  try {
    opened = await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return; // no /proc (not Linux): the path checks and O_NOFOLLOW stand alone
  }
  if (!isInsideWorkspace(root, opened)) {
    throw new ToolError(`Refused "${requested}": it resolved outside the workspace while being opened.`);
  }
}
