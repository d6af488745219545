import { readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { ToolError, type ToolContext, type ToolResult } from "./tool-error";

const maxEntries = 500;
/** Listed, but not expanded: they are huge and rarely what the model is looking for. */
const unexpandedDirs = new Set(["node_modules", ".next", "dist", "build", "coverage", ".venv", "__pycache__"]);

export async function listFiles(args: { path?: string; depth?: number }, ctx: ToolContext): Promise<ToolResult> {
  const target = resolveWorkspacePath(ctx.workspace, args.path ?? ".");
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist.`);
  if (!statSync(target.absolute).isDirectory()) return { output: target.relative, isError: false, changedFiles: [] };

  const root = resolveWorkspacePath(ctx.workspace, ".").absolute;
  const lines: string[] = [];
  let omitted = 0;
  const walk = (dir: string, depthLeft: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
    for (const entry of entries) {
      // .git is the factory's business, not the model's.
      if (entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      if (lines.length >= maxEntries) {
        omitted += 1;
        continue;
      }
      if (entry.isSymbolicLink()) lines.push(`${relative} (symlink)`);
      else if (entry.isDirectory()) {
        const isUnexpanded = unexpandedDirs.has(entry.name);
        lines.push(`${relative}/${isUnexpanded ? " (not expanded)" : ""}`);
        if (depthLeft > 1 && !isUnexpanded) walk(full, depthLeft - 1);
      } else lines.push(relative);
    }
  };
  walk(target.absolute, args.depth ?? 2);

  if (lines.length === 0) return { output: "(empty directory)", isError: false, changedFiles: [] };
  if (omitted > 0) lines.push(`[${omitted} more entries not shown; list a subdirectory or use a smaller depth]`);
  return { output: lines.join("\n"), isError: false, changedFiles: [] };
}
