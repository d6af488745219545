import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { ToolError, type ToolContext, type ToolResult } from "./tool-error";

const maxEntries = 500;
/** Bounds on the walk itself, so a pathological tree cannot keep the tool busy. */
const maxDirectoriesRead = 5_000;
const walkTimeLimitMs = 5_000;

/** Listed, but not expanded: they are huge and rarely what the model is looking for. */
const unexpandedDirs = new Set(["node_modules", ".next", "dist", "build", "coverage", ".venv", "__pycache__"]);

export async function listFiles(args: { path?: string; depth?: number }, ctx: ToolContext): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path ?? ".");
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist.`);
  // stat never opens the file, so a FIFO at the path cannot block it.
  if (!(await stat(target.absolute)).isDirectory()) return { output: target.relative, isError: false, changedFiles: [] };

  const lines: string[] = [];
  let omitted = 0;
  let directoriesRead = 0;
  let isCut = false;
  const deadline = performance.now() + walkTimeLimitMs;
  const walk = async (dir: string, depthLeft: number): Promise<void> => {
    if (directoriesRead >= maxDirectoriesRead || performance.now() > deadline) {
      isCut = true;
      return;
    }
    directoriesRead += 1;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
    for (const entry of entries) {
      // .git is the factory's business, not the model's.
      if (entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      const relative = path.relative(target.root, full);
      if (lines.length >= maxEntries) {
        omitted += 1;
        continue;
      }
      if (entry.isSymbolicLink()) lines.push(`${relative} (symlink)`);
      else if (entry.isDirectory()) {
        const isUnexpanded = unexpandedDirs.has(entry.name);
        lines.push(`${relative}/${isUnexpanded ? " (not expanded)" : ""}`);
        if (depthLeft > 1 && !isUnexpanded) await walk(full, depthLeft - 1);
      } else if (entry.isFile()) lines.push(relative);
      else lines.push(`${relative} (${describeSpecial(entry)}; not readable with the file tools)`);
    }
  };
  await walk(target.absolute, args.depth ?? 2);
  if (lines.length === 0) return { output: "(empty directory)", isError: false, changedFiles: [] };
  if (omitted > 0) lines.push(`[${omitted} more entries not shown; list a subdirectory or use a smaller depth]`);
  if (isCut) lines.push("[listing stopped early: the tree is too large; list a subdirectory or use a smaller depth]");
  return { output: lines.join("\n"), isError: false, changedFiles: [] };
}

function describeSpecial(entry: Dirent): string {
  if (entry.isFIFO()) return "named pipe";
  if (entry.isSocket()) return "socket";
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return "device";
  return "special file";
}
