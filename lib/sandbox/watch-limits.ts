// Watches a running command against the limits the kernel cannot stop on its own: a fork
// bomb at pids.max and a process at memory.max are refused or OOM-killed one at a time, so
// the whole command is killed at the first sign; CPU time is summed over all processes; the
// workspace's disk use is measured with `du` in a child process, never on the event loop.
import { spawn } from "node:child_process";
import type { CommandCgroup } from "./command-cgroup";
import type { LimitKind, ResourceLimits } from "./resource-limits";

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
