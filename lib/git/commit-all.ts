import { runGit } from "./run-git";

/** Stages everything and commits it as the bot; the new sha, or null when nothing changed. */
export async function commitAll(options: { workspace: string; message: string }): Promise<string | null> {
  const cwd = options.workspace;
  await runGit({ cwd, args: ["add", "--all"] });
  const { exitCode } = await runGit({ cwd, args: ["diff", "--cached", "--quiet"], allowedExitCodes: [1] });
  if (exitCode === 0) return null;
  await runGit({ cwd, args: ["commit", "--quiet", "--no-verify", "--message", options.message] });
  const { stdout } = await runGit({ cwd, args: ["rev-parse", "HEAD"] });
  return stdout.trim();
}
