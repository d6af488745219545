// Runs git for the fake GitHub's bare repositories (test-only).
import { execFile } from "node:child_process";

const gitIdentity = {
  GIT_AUTHOR_NAME: "Fake GitHub",
  GIT_AUTHOR_EMAIL: "noreply@fake-github.test",
  GIT_COMMITTER_NAME: "Fake GitHub",
  GIT_COMMITTER_EMAIL: "noreply@fake-github.test",
};

export type RunGitOptions = { cwd: string; env?: Record<string, string>; input?: string };

/** Resolves with stdout; rejects with git's stderr so a failing test says why. */
export function runGit(args: string[], options: RunGitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...gitIdentity, GIT_TERMINAL_PROMPT: "0", ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args[0]} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like runGit, but answers null instead of throwing (e.g. a ref that does not exist). */
export async function tryGit(args: string[], options: RunGitOptions): Promise<string | null> {
  try {
    return await runGit(args, options);
  } catch {
    return null;
  }
}
