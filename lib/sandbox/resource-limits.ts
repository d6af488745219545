// What every sandboxed command may use, and how a breach is told to the model. The limits
// are enforced by the kernel: a cgroup per command (pids, memory, CPU share, CPU time across
// all its processes) plus rlimits set by the launcher (CPU time per process, file size, no
// core dumps). The workspace's disk use is watched while the command runs (as the kubelet
// does for ephemeral storage), and RLIMIT_FSIZE bounds any one file between two checks.
import os from "node:os";
import { getEnv } from "../env";

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

export function formatBytes(bytes: number): string {
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
