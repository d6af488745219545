// Every tool path goes through here. Paths are relative to the workspace, and after all
// symlinks (the file's own and any directory on the way) are resolved they must still be
// inside it. For files that don't exist yet, the nearest existing parent is checked.
// Async only: a tool must never hold the event loop (the UI, API and workflows share it).
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { ToolError } from "./tool-error";

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
    return { real: path.join(await realpathOrThrow(parent, requested), ...rest), exists: false };
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

export function isInsideWorkspace(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative));
}
