// Runs one shell command for an agent (no network) or for a repository's setup (network),
// isolated with bubblewrap: see build-bwrap-args.ts for what is visible inside.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import { AppError } from "../errors";
import { buildBwrapArgs } from "./build-bwrap-args";
import { resolveSandboxMode, warnUnsandboxedOnce } from "./resolve-sandbox-mode";
import { buildSandboxEnv } from "./sandbox-env";
import { createTailBuffer } from "./tail-buffer";

export type RunSandboxedOptions = {
  /** The session's workspace: the only writable host directory inside. */
  workspace: string;
  /** Run by /bin/sh -c, with the workspace as working directory. */
  command: string;
  timeoutSec?: number;
  allowNetwork?: boolean;
  maxOutputBytes?: number;
};

export type SandboxResult = {
  /** The command's exit code; 128+signal when killed; 124 when timed out. */
  exitCode: number;
  /** stdout and stderr interleaved, only the last maxOutputBytes. */
  output: string;
  isTimedOut: boolean;
  isTruncated: boolean;
};

export const defaultTimeoutSec = 120;
export const defaultMaxOutputBytes = 64 * 1024;

export async function runSandboxed(options: RunSandboxedOptions): Promise<SandboxResult> {
  const timeoutSec = options.timeoutSec ?? defaultTimeoutSec;
  const maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
  const workspace = realpathSync(options.workspace);
  // `exec 2>&1` gives one stream, so stdout and stderr interleave in the order written.
  const shellArgs = ["/bin/sh", "-c", `exec 2>&1\n${options.command}`];

  const mode = resolveSandboxMode();
  if (mode.kind === "unavailable") throw new AppError("unavailable", mode.message);

  let child: ChildProcess;
  let cleanup = () => {};
  if (mode.kind === "bwrap") {
    const invocation = buildBwrapArgs({ workspace, allowNetwork: options.allowNetwork ?? false });
    const extraFds = invocation.dataFds.map(() => "pipe" as const);
    child = spawn(mode.bwrapPath, [...invocation.args, "--", ...shellArgs], {
      // bwrap's own environ is readable inside as /proc/1/environ, so it gets the clean env too.
      env: invocation.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe", ...extraFds],
      detached: true,
    });
    for (const data of invocation.dataFds) {
      const stream = child.stdio[data.fd] as Writable;
      stream.on("error", () => {}); // bwrap failing early closes it; its exit code tells why
      stream.end(data.content);
    }
  } else {
    warnUnsandboxedOnce();
    const home = mkdtempSync(path.join(os.tmpdir(), "factory-unsandboxed-home-"));
    cleanup = () => rmSync(home, { recursive: true, force: true });
    child = spawn(shellArgs[0], shellArgs.slice(1), {
      cwd: workspace,
      env: buildSandboxEnv({ home }) as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
  }

  try {
    return await collectResult(child, { timeoutSec, maxOutputBytes });
  } finally {
    cleanup();
  }
}

function collectResult(
  child: ChildProcess,
  options: { timeoutSec: number; maxOutputBytes: number },
): Promise<SandboxResult> {
  const tail = createTailBuffer(options.maxOutputBytes);
  child.stdout?.on("data", (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => tail.push(chunk));

  return new Promise((resolve, reject) => {
    let isTimedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    // Killing the process group takes bwrap down; --die-with-parent and the pid namespace
    // then take every process inside with it, however deep the tree.
    const killTree = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      isTimedOut = true;
      killTree();
    }, options.timeoutSec * 1000);

    let isFinished = false;
    const finish = () => {
      if (isFinished) return;
      isFinished = true;
      clearTimeout(timer);
      clearTimeout(streamGrace);
      const { text, isTruncated } = tail.read();
      const exitCode = isTimedOut
        ? 124
        : (exit?.code ?? 128 + (exit?.signal ? os.constants.signals[exit.signal] : 0));
      const note = isTimedOut ? `\n[timed out after ${options.timeoutSec}s; the command and its children were killed]` : "";
      resolve({ exitCode, output: text + note, isTimedOut, isTruncated });
    };

    let streamGrace: NodeJS.Timeout | undefined;
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new AppError("internal", `Could not start the sandbox: ${error.message}`, { cause: error }));
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // Background jobs the command left behind would hold the pipes open (unsandboxed mode).
      killTree();
      streamGrace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, 2000);
    });
    child.on("close", finish);
  });
}
