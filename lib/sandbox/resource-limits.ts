// Resource limits of sandboxed commands, and watching a command's workspace against them.
import { spawn } from "node:child_process";
import os from "node:os";
import { getEnv } from "@/lib/env";
import type { CommandCgroup } from "./command-cgroup";

// What every sandboxed command may use, and how a breach is told to the model. The limits
// are enforced by the kernel: a cgroup per command (pids, memory, CPU share, CPU time across
// all its processes) plus rlimits set by the launcher (CPU time per process, file size, no
// core dumps). The workspace's disk use is watched while the command runs (as the kubelet
// does for ephemeral storage), and RLIMIT_FSIZE bounds any one file between two checks.
export type ResourceLimits = {
  memoryBytes: number;
  pids: number;
  /** CPU time of all the command's processes together. */
  cpuSeconds: number;
  /** CPU share (cgroup cpu.max); unset means "all but one core". */
  cpus?: number;
  fileSizeBytes: number;
  /** The whole workspace, .git and installed dependencies included. */
  diskBytes: number;
};

export type LimitKind = "memory" | "pids" | "cpu_time" | "file_size" | "disk";

export type LimitExceeded = { kind: LimitKind; message: string };

const mib = 1024 * 1024;

export function readResourceLimits(): ResourceLimits {
  const env = getEnv();
  return {
    memoryBytes: env.FACTORY_SANDBOX_MEMORY_MB * mib,
    pids: env.FACTORY_SANDBOX_PIDS,
    cpuSeconds: env.FACTORY_SANDBOX_CPU_SECONDS,
    cpus: env.FACTORY_SANDBOX_CPUS ?? Math.max(1, os.availableParallelism() - 1),
    fileSizeBytes: env.FACTORY_SANDBOX_FILE_SIZE_MB * mib,
    diskBytes: env.FACTORY_SANDBOX_DISK_MB * mib,
  };
}

/** "killed: memory limit 2 GiB exceeded", plus what the model can do about it. */
export function describeLimitExceeded(kind: LimitKind, limits: ResourceLimits): LimitExceeded {
  const messages: Record<LimitKind, string> = {
    memory: `killed: memory limit ${formatBytes(limits.memoryBytes)} exceeded (all processes of the command together). Use less memory, e.g. fewer parallel workers.`,
    pids: `killed: process limit ${limits.pids} exceeded (processes and threads of the command together). Start fewer processes.`,
    cpu_time: `killed: CPU time limit ${limits.cpuSeconds}s exceeded (all processes of the command together).`,
    file_size: `killed: file size limit ${formatBytes(limits.fileSizeBytes)} exceeded: a single file may not grow past it.`,
    disk: `killed: workspace disk quota ${formatBytes(limits.diskBytes)} exceeded. Delete large generated files; the workspace stays over quota until you do.`,
  };
  return { kind, message: messages[kind] };
}

function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && Number.isInteger(value / 1024)) {
    value /= 1024;
    unit += 1;
  }
  return `${value} ${units[unit]}`;
}

/**
 * The launcher in front of bwrap: joins the command's cgroups, sets the rlimits and execs the
 * rest of argv. The shell writes its own pid before exec, so nothing of the command ever runs
 * outside the group. A failure to join exits 125 with a message: the command never runs.
 */
export function buildLimitedLauncher(options: { procsFiles: string[]; limits: ResourceLimits }): string[] {
  const { limits } = options;
  const script = [
    'while [ "$1" != "--" ]; do',
    '  echo $$ > "$1" || { echo "sandbox: could not join the command\'s control group ($1)" >&2; exit 125; }',
    "  shift",
    "done",
    "shift",
    // RLIMIT_CPU per process (the cgroup's counter bounds the sum), RLIMIT_FSIZE in 512-byte blocks.
    `ulimit -t ${limits.cpuSeconds} && ulimit -f ${Math.max(1, Math.floor(limits.fileSizeBytes / 512))} && ulimit -c 0 || { echo "sandbox: could not set resource limits" >&2; exit 125; }`,
    'exec "$@"',
  ].join("\n");
  return ["/bin/sh", "-c", script, "factory-sandbox-launcher", ...options.procsFiles, "--"];
}

// Watches a running command against the limits the kernel cannot stop on its own: a fork
// bomb at pids.max and a process at memory.max are refused or OOM-killed one at a time, so
// the whole command is killed at the first sign; CPU time is summed over all processes; the
// workspace's disk use is measured with `du` in a child process, never on the event loop.
const cgroupPollMs = 200;
const minDiskPollGapMs = 1_000;

export function watchLimits(options: {
  cgroup: CommandCgroup;
  workspace: string;
  limits: ResourceLimits;
  onExceeded: (kind: LimitKind) => void;
}): { stop: () => void; checkNow: () => Promise<void> } {
  let isStopped = false;
  let hasExceeded = false;
  const exceed = (kind: LimitKind) => {
    if (hasExceeded) return;
    hasExceeded = true;
    isStopped = true;
    options.onExceeded(kind);
  };

  const pollCgroup = async (isFinal = false) => {
    if (isStopped && !isFinal) return;
    const usage = await options.cgroup.readUsage();
    if (usage.oomKills > 0) exceed("memory");
    else if (usage.pidsLimitHits > 0) exceed("pids");
    else if (usage.cpuSeconds !== null && usage.cpuSeconds > options.limits.cpuSeconds) exceed("cpu_time");
  };
  const cgroupTimer = setInterval(() => void pollCgroup().catch(() => {}), cgroupPollMs);

  let diskTimer: NodeJS.Timeout | undefined;
  let du: ReturnType<typeof spawn> | undefined;
  const pollDisk = () => {
    if (isStopped) return;
    const startedAt = performance.now();
    measureDiskKib(options.workspace, (child) => (du = child)).then(
      (kib) => {
        if (kib !== null && kib * 1024 > options.limits.diskBytes) return exceed("disk");
        // A big tree takes a while to walk; don't spend the machine on measuring it.
        const gap = Math.max(minDiskPollGapMs, 2 * (performance.now() - startedAt));
        if (!isStopped) diskTimer = setTimeout(pollDisk, gap);
      },
      () => {},
    );
  };
  pollDisk();

  return {
    // A command that dies of its limit (a shell that cannot fork) can exit between two polls.
    checkNow: () => pollCgroup(true).catch(() => {}),
    stop: () => {
      isStopped = true;
      clearInterval(cgroupTimer);
      clearTimeout(diskTimer);
      du?.kill("SIGKILL");
    },
  };
}

/** Disk blocks in use under dir (KiB), staying on its filesystem; null when du failed. */
export function measureDiskKib(dir: string, onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn("du", ["-s", "-k", "-x", dir], { stdio: ["ignore", "pipe", "ignore"] });
    onSpawn?.(child);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", () => resolve(null));
    // du exits 1 when a file vanished mid-walk; its total is still meaningful.
    child.on("close", () => {
      const kib = Number.parseInt(stdout, 10);
      resolve(Number.isFinite(kib) ? kib : null);
    });
  });
}
