// ripgrep (or `git grep` where rg is missing) on the host, as a child process: the event
// loop never waits on it, it is killed after a time limit, and only a bounded amount of its
// output is kept. Both only read regular files, do not follow symlinks out of the workspace,
// and get the scrubbed sandbox environment.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { buildSandboxEnv } from "../../sandbox/sandbox-env";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { defaultToolOutputBytes, ToolError, type ToolContext, type ToolResult } from "./tool-error";

const ripgrepPath = ["/usr/bin/rg", "/usr/local/bin/rg", "/bin/rg"].find((candidate) => existsSync(candidate));

export async function searchFiles(
  args: { pattern: string; path?: string; glob?: string },
  ctx: ToolContext,
  options: { backend?: "ripgrep" | "git-grep" } = {},
): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path ?? ".");
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist.`);
  const root = target.root;
  const kind = await stat(target.absolute);
  if (!kind.isDirectory() && !kind.isFile()) {
    throw new ToolError(`Refused "${args.path}": it is not a regular file or a directory, so it cannot be searched.`);
  }

  const useRipgrep = ripgrepPath && options.backend !== "git-grep";
  const [command, commandArgs]: [string, string[]] = useRipgrep
    ? [ripgrepPath, ["--line-number", "--no-heading", "--color", "never", "--hidden", "--glob", "!.git",
        "--max-columns", "300", "--max-columns-preview", "--max-filesize", "10M", ...(args.glob ? ["--glob", args.glob] : []),
        "--regexp", args.pattern, "--", target.relative]]
    : ["git", ["-c", "core.fsmonitor=false", "grep", "--untracked", "-n", "-I", "--no-color", "-E", "-e", args.pattern,
        "--", args.glob ? `:(glob)${target.relative === "." ? "" : `${target.relative}/`}**/${args.glob}` : target.relative]];

  const result = await execCapture(command, commandArgs, root);
  const { exitCode, stderr } = result;
  if (result.isTimedOut) {
    throw new ToolError(`search stopped after ${searchTimeLimitMs / 1000}s without finishing; narrow the path or glob, or simplify the pattern.`);
  }
  // rg prints "./src/x.ts" when searching "."; the model should see the paths tools accept.
  const stdout = result.stdout.replace(/^\.\//gm, "");
  if (exitCode === 1 && !stderr.trim()) return { output: "No matches.", isError: false, changedFiles: [] };
  if (exitCode !== 0) throw new ToolError(`search failed: ${stderr.trim() || `exit code ${exitCode}`}`);

  const budget = ctx.maxOutputBytes ?? defaultToolOutputBytes;
  if (Buffer.byteLength(stdout) <= budget) return { output: stdout.trimEnd(), isError: false, changedFiles: [] };
  const kept = stdout.slice(0, budget).split("\n").slice(0, -1);
  const total = stdout.split("\n").filter(Boolean).length;
  kept.push(`[showing ${kept.length} of ${total} matching lines; narrow the pattern, path or glob]`);
  return { output: kept.join("\n"), isError: false, changedFiles: [] };
}

const searchTimeLimitMs = 20_000;
/** Kept of the searcher's stdout; the model sees far less (maxOutputBytes). */
const maxCapturedBytes = 4 * 1024 * 1024;

function execCapture(command: string, args: string[], cwd: string) {
  return new Promise<{ exitCode: number; stdout: string; stderr: string; isTimedOut: boolean }>((resolve) => {
    const child = spawn(command, args, { cwd, env: buildSandboxEnv() as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let isTimedOut = false;
    let isCapped = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      child.kill("SIGKILL");
    }, searchTimeLimitMs);
    child.stdout.on("data", (chunk: Buffer) => {
      if (isCapped) return;
      stdout.push(chunk);
      stdoutBytes += chunk.length;
      // Enough to show the model; the rest would only be cut away.
      if (stdoutBytes >= maxCapturedBytes) {
        isCapped = true;
        child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 8_000) stderr += chunk.toString("utf8");
    });
    const finish = (exitCode: number, errorText = "") => {
      clearTimeout(timer);
      const text = Buffer.concat(stdout).toString("utf8");
      // A capped search found plenty: report it as a success with what was read.
      resolve({ exitCode: isCapped ? 0 : exitCode, stdout: isCapped ? text.slice(0, text.lastIndexOf("\n") + 1) : text, stderr: stderr || errorText, isTimedOut: isTimedOut && !isCapped });
    };
    child.on("error", (error) => finish(2, error.message));
    child.on("close", (code) => finish(code ?? 2));
  });
}

export const searchBackend = ripgrepPath ? "ripgrep" : "git grep";
