// The file tools: read, write, edit, list and search inside the workspace.
import { spawn } from "node:child_process";
import { type Dirent, existsSync } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { buildSandboxEnv } from "@/lib/sandbox/bwrap";
import { openRegularFile, readBounded, resolveWorkspacePath, overwrite, defaultToolOutputBytes, ToolError, type ToolContext, type ToolResult } from "./workspace-path";

const maxFileBytes = 20 * 1024 * 1024;
const maxLineChars = 2000;

/** Numbered lines (like `cat -n`), so edits and review comments can cite line numbers. */
export async function readFile(
  args: { path: string; startLine?: number; endLine?: number },
  ctx: ToolContext,
): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path);
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist. Use list_files or search to find the right path.`);
  const { handle, stats } = await openRegularFile(target, args.path, "read", {
    directory: `"${args.path}" is a directory; use list_files to see its contents.`,
  });
  let buffer: Buffer;
  try {
    if (stats.size > maxFileBytes) throw new ToolError(`"${args.path}" is too large to read (${stats.size} bytes).`);
    const read = await readBounded(handle, maxFileBytes);
    if (!read.isComplete) throw new ToolError(`"${args.path}" is too large to read (over ${maxFileBytes} bytes).`);
    buffer = read.buffer;
  } finally {
    await handle.close();
  }

  if (buffer.subarray(0, 8000).includes(0)) {
    return { output: `"${target.relative}" is a binary file (${buffer.length} bytes); not shown.`, isError: false, changedFiles: [] };
  }
  const lines = buffer.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) return { output: "(empty file)", isError: false, changedFiles: [] };

  const start = args.startLine ?? 1;
  const end = Math.min(args.endLine ?? lines.length, lines.length);
  if (start > lines.length) throw new ToolError(`startLine ${start} is past the end of "${args.path}", which has ${lines.length} lines.`);
  if (end < start) throw new ToolError(`endLine ${end} is before startLine ${start}.`);

  const budget = ctx.maxOutputBytes ?? defaultToolOutputBytes;
  const out: string[] = [];
  let bytes = 0;
  let last = start - 1;
  for (let number = start; number <= end; number++) {
    const text = lines[number - 1];
    const shown = text.length > maxLineChars ? `${text.slice(0, maxLineChars)}… [line cut at ${maxLineChars} chars]` : text;
    const line = `${String(number).padStart(6)}\t${shown}`;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > budget && out.length > 0) break;
    out.push(line);
    last = number;
  }
  if (last < end || start > 1 || end < lines.length) {
    const more = last < lines.length ? `; call read_file with startLine=${last + 1} to read on` : "";
    out.push(`[lines ${start}-${last} of ${lines.length}${more}]`);
  }
  return { output: out.join("\n"), isError: false, changedFiles: [] };
}

export async function writeFile(args: { path: string; content: string }, ctx: ToolContext): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path, { isWrite: true });
  if (target.relative === ".") throw new ToolError("A file path is required, e.g. \"src/new-file.ts\".");
  await mkdir(path.dirname(target.absolute), { recursive: true });
  const { handle } = await openRegularFile(target, args.path, "write", { directory: `"${args.path}" is a directory; give a file path inside it.` });
  try {
    await overwrite(handle, args.content);
  } finally {
    await handle.close();
  }
  const lineCount = args.content === "" ? 0 : args.content.split("\n").length - (args.content.endsWith("\n") ? 1 : 0);
  const verb = target.exists ? "Overwrote" : "Created";
  return {
    output: `${verb} ${target.relative} (${Buffer.byteLength(args.content)} bytes, ${lineCount} lines).`,
    isError: false,
    changedFiles: [target.relative],
  };
}

const maxEditableBytes = 20 * 1024 * 1024;

/** Replaces exactly one occurrence of oldText; anything else is an error the model can fix. */
export async function editFile(
  args: { path: string; oldText: string; newText: string },
  ctx: ToolContext,
): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path, { isWrite: true });
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist. Use write_file to create a new file.`);
  if (args.oldText === "") throw new ToolError("oldText is empty. Give the exact text to replace, or use write_file to rewrite the whole file.");
  if (args.oldText === args.newText) throw new ToolError("oldText and newText are identical; nothing would change.");

  const { handle } = await openRegularFile(target, args.path, "update");
  try {
    const read = await readBounded(handle, maxEditableBytes);
    if (!read.isComplete) throw new ToolError(`"${args.path}" is too large to edit (over ${maxEditableBytes} bytes).`);
    const content = read.buffer.toString("utf8");
    const positions: number[] = [];
    for (let at = content.indexOf(args.oldText); at !== -1; at = content.indexOf(args.oldText, at + args.oldText.length)) {
      positions.push(at);
    }
    if (positions.length === 0) {
      throw new ToolError(
        `oldText was not found in ${target.relative}. It must match the file exactly, including whitespace and indentation; read_file the region again and copy the text.`,
      );
    }
    if (positions.length > 1) {
      const lines = positions.map((at) => lineAt(content, at)).join(", ");
      throw new ToolError(
        `oldText was found ${positions.length} times in ${target.relative} (at lines ${lines}); include more surrounding lines so it matches exactly once.`,
      );
    }
    const at = positions[0];
    // Slicing, not String.replace: "$&" and friends in newText must stay literal.
    await overwrite(handle, content.slice(0, at) + args.newText + content.slice(at + args.oldText.length));
    const firstLine = lineAt(content, at);
    const lastLine = firstLine + args.newText.split("\n").length - 1;
    return {
      output: `Edited ${target.relative}: replaced 1 occurrence; the new text is at lines ${firstLine}-${lastLine}.`,
      isError: false,
      changedFiles: [target.relative],
    };
  } finally {
    await handle.close();
  }
}

function lineAt(content: string, index: number): number {
  let line = 1;
  for (let i = content.indexOf("\n"); i !== -1 && i < index; i = content.indexOf("\n", i + 1)) line++;
  return line;
}

const maxEntries = 500;
/** Bounds on the walk itself, so a pathological tree cannot keep the tool busy. */
const maxDirectoriesRead = 5_000;
const walkTimeLimitMs = 5_000;

/** Listed, but not expanded: they are huge and rarely what the model is looking for. */
const unexpandedDirs = new Set(["node_modules", ".next", "dist", "build", "coverage", ".venv", "__pycache__"]);

export async function listFiles(args: { path?: string; depth?: number }, ctx: ToolContext): Promise<ToolResult> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path ?? ".");
  if (!target.exists) throw new ToolError(`"${args.path}" does not exist.`);
  // stat never opens the file, so a FIFO at the path cannot block it.
  if (!(await stat(target.absolute)).isDirectory()) return { output: target.relative, isError: false, changedFiles: [] };

  const lines: string[] = [];
  let omitted = 0;
  let directoriesRead = 0;
  let isCut = false;
  const deadline = performance.now() + walkTimeLimitMs;
  const walk = async (dir: string, depthLeft: number): Promise<void> => {
    if (directoriesRead >= maxDirectoriesRead || performance.now() > deadline) {
      isCut = true;
      return;
    }
    directoriesRead += 1;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
    for (const entry of entries) {
      // .git is the factory's business, not the model's.
      if (entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      const relative = path.relative(target.root, full);
      if (lines.length >= maxEntries) {
        omitted += 1;
        continue;
      }
      if (entry.isSymbolicLink()) lines.push(`${relative} (symlink)`);
      else if (entry.isDirectory()) {
        const isUnexpanded = unexpandedDirs.has(entry.name);
        lines.push(`${relative}/${isUnexpanded ? " (not expanded)" : ""}`);
        if (depthLeft > 1 && !isUnexpanded) await walk(full, depthLeft - 1);
      } else if (entry.isFile()) lines.push(relative);
      else lines.push(`${relative} (${describeSpecial(entry)}; not readable with the file tools)`);
    }
  };
  await walk(target.absolute, args.depth ?? 2);
  if (lines.length === 0) return { output: "(empty directory)", isError: false, changedFiles: [] };
  if (omitted > 0) lines.push(`[${omitted} more entries not shown; list a subdirectory or use a smaller depth]`);
  if (isCut) lines.push("[listing stopped early: the tree is too large; list a subdirectory or use a smaller depth]");
  return { output: lines.join("\n"), isError: false, changedFiles: [] };
}

function describeSpecial(entry: Dirent): string {
  if (entry.isFIFO()) return "named pipe";
  if (entry.isSocket()) return "socket";
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return "device";
  return "special file";
}

// ripgrep (or `git grep` where rg is missing) on the host, as a child process: the event
// loop never waits on it, it is killed after a time limit, and only a bounded amount of its
// output is kept. Both only read regular files, do not follow symlinks out of the workspace,
// and get the scrubbed sandbox environment.
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

