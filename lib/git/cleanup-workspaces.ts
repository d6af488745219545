// Workspaces are caches (the pushed branch and the database hold the truth), so finished
// or idle ones can go at any time. Mirrors (<data>/repos) are never removed here: one per
// repository, they make the next clone cheap.
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { getWorkspacePath, getWorkspacesDir } from "./workspace-paths";

/** Names of the workspaces under the data dir (session ids, checkout-<task>, base-<task>). */
export function listWorkspaces(): string[] {
  try {
    return readdirSync(getWorkspacesDir());
  } catch {
    return [];
  }
}

/** When a workspace was last used, in ms since the epoch (0 when it is gone). */
export function workspaceLastUsedAt(name: string): number {
  return lastUsedAt(path.join(getWorkspacesDir(), name));
}

/** Removes the named workspaces; returns the names removed. */
export function removeWorkspaces(names: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const name of names) {
    rmSync(getWorkspacePath(name), { recursive: true, force: true });
    removed.push(name);
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
