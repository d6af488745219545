import { readFile } from "node:fs/promises";
import path from "node:path";
import { toolchainCacheDir } from "../sandbox/sandbox-env";
import { runGit } from "./run-git";

/**
 * Stages everything but the toolchain caches (downloaded modules the sandbox keeps in the
 * workspace) and commits it as the bot; the new sha, or null when nothing changed.
 * Agents commit after every turn that changes files, so this sits on the loop's critical path
 * and uses two git processes: `commit` exits 1 when nothing is staged, and the new sha is read
 * from the branch's ref file (git writes it loose), else asked of git.
 */
export async function commitAll(options: { workspace: string; message: string }): Promise<string | null> {
  const cwd = options.workspace;
  await runGit({ cwd, args: ["add", "--all", "--", ".", `:(exclude)${toolchainCacheDir}`] });
  const committed = await runGit({ cwd, args: ["commit", "--quiet", "--no-verify", "--message", options.message], allowedExitCodes: [1] });
  if (committed.exitCode === 1) return null;
  try {
    const head = (await readFile(path.join(cwd, ".git", "HEAD"), "utf8")).trim();
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    const sha = ref ? (await readFile(path.join(cwd, ".git", ref), "utf8")).trim() : head;
    if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
  } catch {
    // packed or unusual layout: ask git
  }
  return (await runGit({ cwd, args: ["rev-parse", "HEAD"] })).stdout.trim();
}
