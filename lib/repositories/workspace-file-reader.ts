// A RepositoryFileReader over a checked-out workspace. The checkout is untrusted: a symlink
// named package.json could point at the app's .env, so links are never followed and reads
// stay inside the workspace and under a size limit.
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RepositoryFileReader } from "./detect-repository-profile";

const maxFileBytes = 1024 * 1024;

export function createWorkspaceFileReader(workspace: string): RepositoryFileReader {
  const root = path.resolve(workspace);

  /** The absolute path when every segment is a real file or folder (no symlink) inside root. */
  async function resolveInside(relative: string, kind: "file" | "directory"): Promise<string | null> {
    const segments = relative.split("/").filter(Boolean);
    if (segments.some((segment) => segment === ".." || segment === "." || segment === ".git")) return null;
    let current = root;
    for (const [index, segment] of segments.entries()) {
      current = path.join(current, segment);
      const stats = await lstat(current).catch(() => null);
      if (!stats || stats.isSymbolicLink()) return null;
      const isLast = index === segments.length - 1;
      if (!isLast && !stats.isDirectory()) return null;
      if (isLast && kind === "file" && (!stats.isFile() || stats.size > maxFileBytes)) return null;
      if (isLast && kind === "directory" && !stats.isDirectory()) return null;
    }
    return current;
  }

  return {
    async readFile(relative) {
      const file = await resolveInside(relative, "file");
      return file ? readFile(/*turbopackIgnore: true*/ file, "utf8").catch(() => null) : null;
    },
    async listDirectory(relative) {
      const folder = await resolveInside(relative, "directory");
      if (!folder) return [];
      const entries = await readdir(/*turbopackIgnore: true*/ folder).catch(() => [] as string[]);
      return entries.filter((entry) => entry !== ".git");
    },
  };
}

/** A reader over files held in memory, keyed by repository-relative path (tests, previews). */
export function createMemoryFileReader(files: Record<string, string>): RepositoryFileReader {
  const paths = Object.keys(files);
  return {
    async readFile(relative) {
      return files[relative] ?? null;
    },
    async listDirectory(relative) {
      const prefix = relative ? `${relative.replace(/\/$/, "")}/` : "";
      const names = paths.filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length).split("/")[0]);
      return [...new Set(names)];
    },
  };
}
