// The workspace tool set: schemas, the dispatcher, the tool error type and run_command.
import { lstat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { runGit } from "@/lib/git/run-git";
import { redactSecrets } from "@/lib/redact";
import { runSandboxed } from "@/lib/sandbox/run-sandboxed";
import { editFile, listFiles, readFile, searchFiles, writeFile } from "./file-tools";
import { defaultToolOutputBytes, resolveWorkspacePath, ToolError, type ToolContext, type ToolResult } from "./workspace-path";

// The workspace tools of DESIGN.md's tool contract. runWorkspaceTool never throws for a
// model mistake: invalid arguments, refused paths and failed edits come back as isError
// results the model can read and act on.
export { resolveWorkspacePath } from "./workspace-path";

type Handler = (args: never, ctx: ToolContext) => Promise<ToolResult>;

const handlers: Record<WorkspaceToolName, Handler> = {
  list_files: listFiles,
  read_file: readFile,
  search: searchFiles,
  write_file: writeFile,
  edit_file: editFile,
  run_command: runCommand,
};

function isWorkspaceToolName(name: string): name is WorkspaceToolName {
  return Object.hasOwn(workspaceToolSchemas, name);
}

export async function runWorkspaceTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (!isWorkspaceToolName(name)) {
    return failure(`Unknown tool "${name}". Available tools: ${Object.keys(workspaceToolSchemas).join(", ")}.`);
  }
  const parsed = workspaceToolSchemas[name].safeParse(args ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(arguments)"}: ${issue.message}`);
    return failure(`Invalid arguments for ${name}: ${problems.join("; ")}`);
  }
  try {
    const result = await (handlers[name] as (args: unknown, ctx: ToolContext) => Promise<ToolResult>)(parsed.data, ctx);
    // Belt and braces: whatever a file or command printed, a configured secret never reaches the model.
    return { ...result, output: redactSecrets(result.output) };
  } catch (error) {
    if (error instanceof ToolError) return failure(error.message);
    const message = error instanceof Error ? error.message : String(error);
    return failure(`${name} failed: ${message}`);
  }
}

function failure(message: string): ToolResult {
  return { output: redactSecrets(message), isError: true, changedFiles: [] };
}


// Input schemas of the workspace tools, as DESIGN.md's tool contract names them. The
// .describe() texts are what the model reads, so they state the rules it must follow.
const relativePath = (what: string) =>
  z.string().max(4096).describe(`${what}, relative to the workspace root (e.g. "src/index.ts"). Absolute paths and ".." are refused.`);

export const workspaceToolSchemas = {
  list_files: z.object({
    path: relativePath("Directory to list").optional().describe('Directory to list, relative to the workspace root; default "."'),
    depth: z.number().int().min(1).max(10).optional().describe("How many directory levels to show; default 2"),
  }),
  read_file: z.object({
    path: relativePath("File to read"),
    startLine: z.number().int().min(1).optional().describe("First line to show (1-based); default 1"),
    endLine: z.number().int().min(1).optional().describe("Last line to show (inclusive); default the end of the file"),
  }),
  search: z.object({
    pattern: z.string().min(1).max(1000).describe("Regular expression to search file contents for"),
    path: relativePath("Directory or file to search in").optional().describe('Directory or file to search in; default "."'),
    glob: z.string().max(200).optional().describe('Only search files whose names match this glob, e.g. "*.ts"'),
  }),
  write_file: z.object({
    path: relativePath("File to create or overwrite"),
    content: z.string().max(5_000_000).describe("The complete new content of the file"),
  }),
  edit_file: z.object({
    path: relativePath("File to edit"),
    oldText: z.string().describe("Exact text to replace, including whitespace; it must occur exactly once in the file"),
    newText: z.string().describe("Text to put in its place"),
  }),
  run_command: z.object({
    command: z.string().min(1).max(20_000).describe("Shell command, run by /bin/sh in the workspace root, without network access"),
    timeoutSec: z.number().int().min(1).max(3600).optional().describe("Seconds before the command and everything it started are killed; default 120, at most 600"),
  }),
} as const;

export type WorkspaceToolName = keyof typeof workspaceToolSchemas;


/** One-line descriptions of each tool, for the model. */
export const workspaceToolDescriptions: Record<WorkspaceToolName, string> = {
  list_files: "List files and directories in the workspace (.git is hidden).",
  read_file: "Read a text file with line numbers. Large files are cut; use startLine/endLine to page.",
  search: "Search file contents with a regular expression; prints path:line:text for each match.",
  write_file: "Create or overwrite a file with the given content. Parent directories are created.",
  edit_file: "Replace one exact, unique occurrence of oldText with newText in a file.",
  run_command:
    "Run a shell command in the workspace (sandboxed, no network). Returns the exit code and the tail of stdout+stderr.",
};

const defaultCommandTimeoutSec = 120;
/** A model may ask for longer than the default (a slow test suite), but not without bound. */
const maxCommandTimeoutSec = 600;

/** Sandboxed, without network. A non-zero exit is a normal result; a timeout is an error. */
async function runCommand(args: { command: string; timeoutSec?: number }, ctx: ToolContext): Promise<ToolResult> {
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
