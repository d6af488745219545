import { realpathSync } from "node:fs";
import { AppError } from "../errors";
import { runGit } from "./run-git";

/** A user's own checkout (CLI `--workspace <dir>`), used in place; returns its top level. */
export async function openLocalWorkspace(options: { path: string }): Promise<string> {
  let dir: string;
  try {
    dir = realpathSync(options.path);
  } catch {
    throw new AppError("bad_request", `Workspace ${options.path} does not exist`);
  }
  const { stdout, exitCode } = await runGit({ cwd: dir, args: ["rev-parse", "--show-toplevel"], allowedExitCodes: [128] });
  if (exitCode !== 0) throw new AppError("bad_request", `Workspace ${dir} is not a git checkout (run \`git init\` there first)`);
  return realpathSync(stdout.trim());
}
