// Workspaces are caches (the pushed branch and the database hold the truth), so finished
// or idle ones can go at any time.
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { getWorkspacesDir } from "./workspace-paths";

export async function cleanupWorkspaces(options: {
  maxAgeHours: number;
  finishedSessionIds?: string[];
  now?: number;
}): Promise<string[]> {
  const dir = getWorkspacesDir();
  const finished = new Set(options.finishedSessionIds ?? []);
  const cutoff = (options.now ?? Date.now()) - options.maxAgeHours * 3600_000;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const sessionId of entries) {
    const workspace = path.join(dir, sessionId);
    if (finished.has(sessionId) || lastUsedAt(workspace) < cutoff) {
      rmSync(workspace, { recursive: true, force: true });
      removed.push(sessionId);
    }
  }
  return removed;
}

/** The index changes on every status, add and commit, so it tracks use better than the dir. */
function lastUsedAt(workspace: string): number {
  const times = [workspace, path.join(workspace, ".git", "index"), path.join(workspace, ".git", "HEAD")].map((file) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return 0;
    }
  });
  return Math.max(...times);
}
