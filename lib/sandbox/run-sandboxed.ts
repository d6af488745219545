// Running one command in the sandbox, keeping only the tail of its output.
import { spawn, type ChildProcess } from "node:child_process";
import { realpathSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { buildBwrapArgs, egressPaths, resolveSandboxMode, warnUnsandboxedOnce, buildSandboxEnv } from "./bwrap";
import { CgroupUnavailableError, createCommandCgroup, type CommandCgroup } from "./command-cgroup";
import { egressBridgeSource, startEgressProxy, type EgressPolicy, type EgressProxy } from "./egress-proxy";
import { buildLimitedLauncher, describeLimitExceeded, readResourceLimits, type LimitExceeded, type LimitKind, type ResourceLimits, watchLimits } from "./resource-limits";

// Keeps only the last `maxBytes` of a stream, so a chatty command can't blow up memory or
// the model's context; the end of the output is where errors usually are.

export type TailBuffer = {
  push(chunk: Buffer): void;
  /** The kept tail as UTF-8, and whether anything before it was dropped. */
  read(): { text: string; isTruncated: boolean };
};

function createTailBuffer(maxBytes: number): TailBuffer {
  let chunks: Buffer[] = [];
  let keptBytes = 0;
  let totalBytes = 0;

  return {
    push(chunk) {
      chunks.push(chunk);
      keptBytes += chunk.length;
      totalBytes += chunk.length;
      // Compact only when we hold twice the cap, so pushing stays cheap.
      if (keptBytes > maxBytes * 2) {
        const joined = Buffer.concat(chunks);
        chunks = [joined.subarray(joined.length - maxBytes)];
        keptBytes = maxBytes;
      }
    },
    read() {
      const joined = Buffer.concat(chunks);
      const tail = joined.length > maxBytes ? joined.subarray(joined.length - maxBytes) : joined;
      // A cut can land inside a multi-byte character; drop the broken lead bytes.
      const text = tail.toString("utf8").replace(/^\uFFFD+/, "");
      return { text, isTruncated: totalBytes > maxBytes };
    },
  };
}

// Runs one shell command for an agent (no network) or for a repository's setup (registries
// only, through the egress proxy), isolated with bubblewrap (see bwrap.ts for what
// is visible inside) and held to resource limits (see resource-limits.ts). If the limits
// cannot be applied, the command does not run.
export type RunSandboxedOptions = {
  /** The session's workspace: the only writable host directory inside. */
  workspace: string;
  /** Run by /bin/sh -c, with the workspace as working directory. */
  command: string;
  timeoutSec?: number;
  /**
   * The repository's setup command: it may reach the allowlisted package registries through
   * the egress proxy. Never the host's network, loopback or private ranges.
   */
  allowNetwork?: boolean;
  maxOutputBytes?: number;
  /** Defaults to FACTORY_SANDBOX_* (lib/env.ts). */
  limits?: ResourceLimits;
  /** Defaults to FACTORY_SETUP_ALLOWED_HOSTS; tests inject a resolver here (see EgressPolicy). */
  egressPolicy?: EgressPolicy;
};

export type SandboxResult = {
  /** The command's exit code; 128+signal when killed; 124 when timed out. */
  exitCode: number;
  /** stdout and stderr interleaved, only the last maxOutputBytes. */
  output: string;
  isTimedOut: boolean;
  isTruncated: boolean;
  /** Set when the command was stopped for exceeding a resource limit. */
  limitExceeded?: LimitExceeded;
  /** Destinations the egress proxy refused (setup commands). */
  egressRefusals: string[];
};

export const defaultTimeoutSec = 120;
const defaultMaxOutputBytes = 64 * 1024;
const sigxfsz = os.constants.signals.SIGXFSZ;

export async function runSandboxed(options: RunSandboxedOptions): Promise<SandboxResult> {
  const timeoutSec = options.timeoutSec ?? defaultTimeoutSec;
  const maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
  const workspace = realpathSync(options.workspace);
  // `exec 2>&1` gives one stream, so stdout and stderr interleave in the order written.
  const shellArgs = ["/bin/sh", "-c", `exec 2>&1\n${options.command}`];

  const mode = resolveSandboxMode();
  if (mode.kind === "unavailable") throw new AppError("unavailable", mode.message);
  if (mode.kind === "none") return runUnsandboxed(workspace, shellArgs, { timeoutSec, maxOutputBytes });

  const limits = options.limits ?? readResourceLimits();
  let cgroup: CommandCgroup;
  try {
    cgroup = await createCommandCgroup(limits);
  } catch (error) {
    if (!(error instanceof CgroupUnavailableError)) throw error;
    throw new AppError(
      "unavailable",
      `Refusing to run the command: its resource limits (processes, memory, CPU) cannot be applied: ${error.message}. ` +
        "Run the factory as root, or inside a cgroup v2 subtree delegated to its user (systemd: Delegate=yes), " +
        "or set FACTORY_SANDBOX=none to run commands unsandboxed and unlimited (unsafe).",
    );
  }

  let proxy: EgressProxy | undefined;
  let proxyDir: string | undefined;
  try {
    let egress: { socketPath: string; bridgeSource: string } | undefined;
    if (options.allowNetwork) {
      proxyDir = await mkdtemp(path.join(os.tmpdir(), "factory-egress-"));
      const socketPath = path.join(proxyDir, "proxy.sock");
      proxy = await startEgressProxy(options.egressPolicy ?? { allowedHosts: getEnv().FACTORY_SETUP_ALLOWED_HOSTS }, socketPath);
      egress = { socketPath, bridgeSource: egressBridgeSource };
    }
    const invocation = buildBwrapArgs({ workspace, egress });
    const inner = egress ? [process.execPath, egressPaths.bridge, egressPaths.socket, String(egressPaths.port), ...shellArgs] : shellArgs;
    const launcher = buildLimitedLauncher({ procsFiles: cgroup.procsFiles, limits });
    const child = spawn(launcher[0], [...launcher.slice(1), mode.bwrapPath, ...invocation.args, "--", ...inner], {
      // bwrap's own environ is readable inside as /proc/1/environ, so it gets the clean env too.
      env: invocation.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe", ...invocation.dataFds.map(() => "pipe" as const)],
      detached: true,
    });
    for (const data of invocation.dataFds) {
      const stream = child.stdio[data.fd] as Writable;
      stream.on("error", () => {}); // bwrap failing early closes it; its exit code tells why
      stream.end(data.content);
    }
    const result = await collectResult(child, { timeoutSec, maxOutputBytes, cgroup, workspace, limits });
    const egressRefusals = [...(proxy?.refusals ?? [])];
    // Said in the output too, so whoever reads it (a model, a person) learns why a download failed.
    const refusalNote = egressRefusals.length ? `\n[egress proxy refused: ${egressRefusals.slice(0, 5).join("; ")}${egressRefusals.length > 5 ? "; ..." : ""}]` : "";
    return { ...result, output: result.output + refusalNote, egressRefusals };
  } finally {
    await cgroup.remove();
    await proxy?.close();
    if (proxyDir) await rm(proxyDir, { recursive: true, force: true });
  }
}

/** FACTORY_SANDBOX=none: the operator chose no isolation and no limits; only the env is scrubbed. */
async function runUnsandboxed(workspace: string, shellArgs: string[], options: { timeoutSec: number; maxOutputBytes: number }): Promise<SandboxResult> {
  warnUnsandboxedOnce();
  const home = await mkdtemp(path.join(os.tmpdir(), "factory-unsandboxed-home-"));
  try {
    const child = spawn(shellArgs[0], shellArgs.slice(1), {
      cwd: workspace,
      env: buildSandboxEnv({ home }) as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    return { ...(await collectResult(child, options)), egressRefusals: [] };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function collectResult(
  child: ChildProcess,
  options: { timeoutSec: number; maxOutputBytes: number; cgroup?: CommandCgroup; workspace?: string; limits?: ResourceLimits },
): Promise<Omit<SandboxResult, "egressRefusals">> {
  const tail = createTailBuffer(options.maxOutputBytes);
  child.stdout?.on("data", (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => tail.push(chunk));

  return new Promise((resolve, reject) => {
    let isTimedOut = false;
    let exceeded: LimitKind | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    // Killing the process group takes bwrap down; --die-with-parent and the pid namespace
    // then take every process inside with it, however deep the tree. The cgroup kill is the
    // belt to those braces: nothing that joined the group survives it.
    const killTree = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      void options.cgroup?.killAll().catch(() => {});
    };
    const timer = setTimeout(() => {
      isTimedOut = true;
      killTree();
    }, options.timeoutSec * 1000);
    const watcher =
      options.cgroup && options.workspace && options.limits
        ? watchLimits({
            cgroup: options.cgroup,
            workspace: options.workspace,
            limits: options.limits,
            onExceeded: (kind) => {
              exceeded ??= kind;
              killTree();
            },
          })
        : undefined;

    let isFinished = false;
    // The last look at the counters, taken once the command has exited; finish waits for it.
    let finalCheck: Promise<void> = Promise.resolve();
    const finish = () => void finalCheck.then(finishNow);
    const finishNow = () => {
      if (isFinished) return;
      isFinished = true;
      clearTimeout(timer);
      clearTimeout(streamGrace);
      watcher?.stop();
      const { text, isTruncated } = tail.read();
      const exitCode = isTimedOut ? 124 : (exit?.code ?? 128 + (exit?.signal ? os.constants.signals[exit.signal] : 0));
      // RLIMIT_FSIZE: the writer gets SIGXFSZ (the shell reports 128+25), or EFBIG where it ignores the signal.
      if (!exceeded && options.limits && (exitCode === 128 + sigxfsz || /File size limit exceeded|File too large/.test(text))) exceeded = "file_size";
      const limitExceeded = exceeded && options.limits ? describeLimitExceeded(exceeded, options.limits) : undefined;
      const note = isTimedOut
        ? `\n[timed out after ${options.timeoutSec}s; the command and its children were killed]`
        : limitExceeded && limitExceeded.kind !== "file_size"
          ? `\n[${limitExceeded.message}]`
          : "";
      resolve({ exitCode, output: text + note, isTimedOut, isTruncated, ...(limitExceeded ? { limitExceeded } : {}) });
    };

    let streamGrace: NodeJS.Timeout | undefined;
    child.on("error", (error) => {
      clearTimeout(timer);
      watcher?.stop();
      reject(new AppError("internal", `Could not start the sandbox: ${error.message}`, { cause: error }));
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      if (watcher) finalCheck = watcher.checkNow();
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
