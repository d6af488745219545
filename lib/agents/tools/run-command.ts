import { lstat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors";
import { runGit } from "../../git/run-git";
import { runSandboxed } from "../../sandbox/run-sandboxed";
import { resolveWorkspacePath } from "./resolve-workspace-path";
import { defaultToolOutputBytes, ToolError, type ToolContext, type ToolResult } from "./tool-error";

const defaultCommandTimeoutSec = 120;
/** A model may ask for longer than the default (a slow test suite), but not without bound. */
const maxCommandTimeoutSec = 600;

/** Sandboxed, without network. A non-zero exit is a normal result; a timeout is an error. */
export async function runCommand(args: { command: string; timeoutSec?: number }, ctx: ToolContext): Promise<ToolResult> {
  const workspace = (await resolveWorkspacePath(ctx.workspace, ".")).absolute;
  const defaultTimeoutSec = ctx.commandTimeoutSec ?? defaultCommandTimeoutSec;
  const timeoutSec = Math.min(args.timeoutSec ?? defaultTimeoutSec, Math.max(defaultTimeoutSec, maxCommandTimeoutSec));
  const before = await snapshotChanges(workspace);
  let result;
  try {
    result = await runSandboxed({
      workspace,
      command: args.command,
      timeoutSec,
      allowNetwork: false,
      maxOutputBytes: ctx.maxOutputBytes ?? defaultToolOutputBytes,
    });
  } catch (error) {
    if (error instanceof AppError) throw new ToolError(error.message);
    throw error;
  }
  // No repository before means any .git now was made by the command: don't let host-side git read it.
  const after = before ? await snapshotChanges(workspace) : null;

  const header = [`exit code: ${result.exitCode}`];
  if (result.isTimedOut) header.push(`timed out after ${timeoutSec}s: the command and everything it started were killed`);
  if (result.limitExceeded) header.push(result.limitExceeded.message);
  if (result.isTruncated) header.push("output truncated: showing only its last part");
  const output = `${header.join("\n")}\n${result.output || "(no output)"}`;
  return { output, isError: result.isTimedOut || Boolean(result.limitExceeded), changedFiles: diffSnapshots(before, after) };
}

type Snapshot = Map<string, string> | null;

/** `git status` plus size and mtime, so a file edited again after an earlier change still counts. */
async function snapshotChanges(workspace: string): Promise<Snapshot> {
  // Without its own .git, git would walk up and report on whatever repository encloses it.
  if (!(await lstat(path.join(workspace, ".git")).catch(() => null))) return null;
  const status = await runGit({
    cwd: workspace,
    args: ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"],
    allowedExitCodes: [128],
  });
  if (status.exitCode !== 0) return null;
  const snapshot = new Map<string, string>();
  for (const entry of status.stdout.split("\0").filter(Boolean)) {
    const file = entry.slice(3);
    let stamp = "missing";
    try {
      // lstat: never follows a link the command planted, and never opens a FIFO.
      const stats = await lstat(path.join(workspace, file));
      stamp = `${stats.size}:${stats.mtimeMs}`;
    } catch {
      // deleted
    }
    snapshot.set(file, `${entry.slice(0, 2)}:${stamp}`);
  }
  return snapshot;
}

function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  if (!before || !after) return [];
  const changed = new Set<string>();
  for (const [file, state] of after) if (before.get(file) !== state) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].sort();
}
