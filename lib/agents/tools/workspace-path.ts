// Safe file access inside a workspace (path resolution, opening regular files only), and the
// result and error types every workspace tool shares.
import { constants, type Stats } from "node:fs";
import { lstat, realpath, open, readlink, type FileHandle } from "node:fs/promises";
import path from "node:path";


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

// Every tool path goes through here. Paths are relative to the workspace, and after all
// symlinks (the file's own and any directory on the way) are resolved they must still be
// inside it. For files that don't exist yet, the nearest existing parent is checked.
// Async only: a tool must never hold the event loop (the UI, API and workflows share it).
export type ResolvedPath = {
  /** Real absolute path (symlinks resolved), inside the workspace. */
  absolute: string;
  /** The same path relative to the workspace root ("." for the root). */
  relative: string;
  /** The real workspace root. */
  root: string;
  exists: boolean;
};

export async function resolveWorkspacePath(
  workspace: string,
  requested: string,
  options: { isWrite?: boolean } = {},
): Promise<ResolvedPath> {
  const root = await realpath(workspace);
  if (requested.includes("\0")) throw new ToolError(`Invalid path ${JSON.stringify(requested)}: it contains a NUL byte.`);
  if (path.isAbsolute(requested)) {
    throw new ToolError(
      `Refused "${requested}": absolute paths are not allowed. Use a path relative to the workspace root, e.g. "src/index.ts".`,
    );
  }
  const lexical = path.resolve(root, requested || ".");
  if (!isInsideWorkspace(root, lexical)) {
    throw new ToolError(`Refused "${requested}": it points outside the workspace. Only files inside the workspace can be used.`);
  }
  const { real, exists } = await resolveReal(lexical, requested);
  if (!isInsideWorkspace(root, real)) {
    throw new ToolError(
      `Refused "${requested}": it goes through a symbolic link that points outside the workspace. Only files inside the workspace can be used.`,
    );
  }
  const relative = path.relative(root, real) || ".";
  if (options.isWrite && (relative === ".git" || relative.startsWith(`.git${path.sep}`))) {
    throw new ToolError(`Refused "${requested}": files under .git/ cannot be written; the factory commits for you.`);
  }
  return { absolute: real, relative, root, exists };
}

async function resolveReal(lexical: string, requested: string): Promise<{ real: string; exists: boolean }> {
  let isLink = false;
  try {
    isLink = (await lstat(lexical)).isSymbolicLink();
  } catch {
    // Doesn't exist: resolve the nearest existing parent and append the rest.
    let parent = path.dirname(lexical);
    const rest = [path.basename(lexical)];
    for (;;) {
      try {
        await lstat(parent);
        break;
      } catch {
        rest.unshift(path.basename(parent));
        parent = path.dirname(parent);
      }
    }
    return { real: path.join(/*turbopackIgnore: true*/ await realpathOrThrow(parent, requested), ...rest), exists: false };
  }
  return { real: await realpathOrThrow(lexical, requested, isLink), exists: true };
}

async function realpathOrThrow(target: string, requested: string, isLink = false): Promise<string> {
  try {
    return await realpath(target);
  } catch {
    throw new ToolError(
      isLink
        ? `Refused "${requested}": it is a symbolic link whose target does not exist.`
        : `Cannot resolve "${requested}": a directory on the way is a broken symbolic link.`,
    );
  }
}

function isInsideWorkspace(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative));
}

// Opens a workspace file without trusting what sits at the path. O_NOFOLLOW refuses a
// symlink swapped in after the path was resolved; O_NONBLOCK keeps a FIFO from hanging the
// open; fstat on the opened descriptor (not the path: no check-then-open race) refuses
// FIFOs, sockets and devices; /proc/self/fd confirms the descriptor is inside the workspace.
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
