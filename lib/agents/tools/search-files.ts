// ripgrep (or `git grep` where rg is missing) on the host. Both only read files: they do
// not follow symlinks out of the workspace, and they get the scrubbed sandbox environment.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { buildSandboxEnv } from "../../sandbox/sandbox-env";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { defaultToolOutputBytes, ToolError, type ToolContext, type ToolResult } from "./tool-error";

const ripgrepPath = ["/usr/bin/rg", "/usr/local/bin/rg", "/bin/rg"].find((candidate) => existsSync(candidate));

export async function searchFiles(
  args: { pattern: string; path?: string; glob?: string },
  ctx: ToolContext,
  options: { backend?: "ripgrep" | "git-grep" } = {},
): Promise<ToolResult> {
  const root = resolveWorkspacePath(ctx.workspace, ".").absolute;
  const target = resolveWorkspacePath(ctx.workspace, args.path ?? ".");
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist.`);

  const useRipgrep = ripgrepPath && options.backend !== "git-grep";
  const [command, commandArgs]: [string, string[]] = useRipgrep
    ? [ripgrepPath, ["--line-number", "--no-heading", "--color", "never", "--hidden", "--glob", "!.git",
        "--max-columns", "300", "--max-columns-preview", ...(args.glob ? ["--glob", args.glob] : []),
        "--regexp", args.pattern, "--", target.relative]]
    : ["git", ["-c", "core.fsmonitor=false", "grep", "--untracked", "-n", "-I", "--no-color", "-E", "-e", args.pattern,
        "--", args.glob ? `:(glob)${target.relative === "." ? "" : `${target.relative}/`}**/${args.glob}` : target.relative]];

  const result = await execCapture(command, commandArgs, root);
  const { exitCode, stderr } = result;
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

function execCapture(command: string, args: string[], cwd: string) {
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: buildSandboxEnv() as NodeJS.ProcessEnv, timeout: 30_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : 2) : 0;
        resolve({ exitCode, stdout: String(stdout), stderr: String(stderr || (exitCode > 1 ? error?.message : "")) });
      },
    );
  });
}

export const searchBackend = ripgrepPath ? "ripgrep" : "git grep";
