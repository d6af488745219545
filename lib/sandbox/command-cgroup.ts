// One control group per sandboxed command: the kernel's own accounting for a whole process
// tree, which is what container runtimes (runc, systemd, nsjail) rely on. pids.max stops a
// fork bomb, memory.max a memory hog (tmpfs pages count too), cpu.max keeps a CPU spinner
// from starving the app, and the CPU usage counter bounds CPU time across all processes.
// Works with cgroup v2 (a subtree delegated to this process, or the root of a container's
// cgroup namespace) and with the v1 per-controller hierarchies of hybrid systems.
// RLIMIT_NPROC cannot replace pids.max: the kernel does not enforce it for root.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";

export type CgroupLimits = { memoryBytes: number; pids: number; cpus?: number };

export type CgroupUsage = {
  /** CPU time used by every process of the command so far, or null when not accounted. */
  cpuSeconds: number | null;
  /** Processes the kernel's OOM killer killed for exceeding memory.max. */
  oomKills: number;
  /** Forks refused for exceeding pids.max. */
  pidsLimitHits: number;
};

export type CommandCgroup = {
  /** The cgroup.procs files a process writes its pid to, to join (one per v1 hierarchy). */
  procsFiles: string[];
  readUsage(): Promise<CgroupUsage>;
  /** SIGKILLs every process still in the group. */
  killAll(): Promise<void>;
  /** Kills what is left and removes the group. */
  remove(): Promise<void>;
};

type Layout =
  | { version: 2; parent: string }
  | { version: 1; pids: string; memory: string; cpu?: string; cpuacct?: string };

/** Thrown when limits cannot be applied; the sandbox refuses to run rather than run unlimited. */
export class CgroupUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "CgroupUnavailableError";
  }
}

let layoutPromise: Promise<Layout> | undefined;

export async function createCommandCgroup(limits: CgroupLimits): Promise<CommandCgroup> {
  layoutPromise ??= detectLayout().then(
    async (layout) => {
      const parents = layout.version === 2 ? [layout.parent] : [layout.pids, layout.memory, layout.cpu, layout.cpuacct].filter((dir): dir is string => Boolean(dir));
      await removeStaleCommandCgroups(parents);
      return layout;
    },
    (error: unknown) => {
      layoutPromise = undefined;
      throw error;
    },
  );
  const layout = await layoutPromise;
  const name = `factory-cmd-${process.pid}-${randomBytes(6).toString("hex")}`;
  return layout.version === 2 ? createV2(layout.parent, name, limits) : createV1(layout, name, limits);
}

async function createV2(parent: string, name: string, limits: CgroupLimits): Promise<CommandCgroup> {
  const dir = path.join(parent, name);
  await mkdir(dir);
  try {
    await writeFile(path.join(dir, "pids.max"), String(limits.pids));
    await writeFile(path.join(dir, "memory.max"), String(limits.memoryBytes));
    await writeFile(path.join(dir, "memory.swap.max"), "0").catch(() => {}); // no swap configured: nothing to cap
    await writeFile(path.join(dir, "memory.oom.group"), "1").catch(() => {});
    if (limits.cpus) await writeFile(path.join(dir, "cpu.max"), `${Math.round(limits.cpus * 100_000)} 100000`).catch(() => {});
  } catch (error) {
    await rmdir(dir).catch(() => {});
    throw new CgroupUnavailableError(`could not set limits on ${dir}: ${(error as Error).message}`);
  }
  const killAll = async () => {
    // cgroup.kill (Linux 5.14+) kills the whole group atomically; else one by one.
    if (await writeFile(path.join(dir, "cgroup.kill"), "1").then(() => true, () => false)) return;
    await killListed([path.join(dir, "cgroup.procs")]);
  };
  return {
    procsFiles: [path.join(dir, "cgroup.procs")],
    readUsage: async () => ({
      cpuSeconds: readKey(await readText(path.join(dir, "cpu.stat")), "usage_usec") / 1e6,
      oomKills: readKey(await readText(path.join(dir, "memory.events")), "oom_kill"),
      pidsLimitHits: readKey(await readText(path.join(dir, "pids.events")), "max"),
    }),
    killAll,
    remove: () => removeGroups([dir], killAll),
  };
}

async function createV1(layout: Extract<Layout, { version: 1 }>, name: string, limits: CgroupLimits): Promise<CommandCgroup> {
  const dirs = { pids: path.join(layout.pids, name), memory: path.join(layout.memory, name), cpu: layout.cpu && path.join(layout.cpu, name), cpuacct: layout.cpuacct && path.join(layout.cpuacct, name) };
  const created = [...new Set([dirs.pids, dirs.memory, dirs.cpu, dirs.cpuacct].filter((dir): dir is string => Boolean(dir)))];
  const killAll = () => killListed([path.join(dirs.pids, "cgroup.procs")]);
  try {
    for (const dir of created) await mkdir(dir);
    await writeFile(path.join(dirs.pids, "pids.max"), String(limits.pids));
    await writeFile(path.join(dirs.memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
    // memory+swap: only where swap accounting is on.
    await writeFile(path.join(dirs.memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes)).catch(() => {});
    if (dirs.cpu && limits.cpus) {
      await writeFile(path.join(dirs.cpu, "cpu.cfs_period_us"), "100000");
      await writeFile(path.join(dirs.cpu, "cpu.cfs_quota_us"), String(Math.round(limits.cpus * 100_000)));
    }
  } catch (error) {
    await Promise.all(created.map((dir) => rmdir(dir).catch(() => {})));
    throw new CgroupUnavailableError(`could not set limits under ${layout.pids} and ${layout.memory}: ${(error as Error).message}`);
  }
  return {
    procsFiles: created.map((dir) => path.join(dir, "cgroup.procs")),
    readUsage: async () => ({
      cpuSeconds: dirs.cpuacct ? Number((await readText(path.join(dirs.cpuacct, "cpuacct.usage"))).trim() || 0) / 1e9 : null,
      oomKills: readKey(await readText(path.join(dirs.memory, "memory.oom_control")), "oom_kill"),
      pidsLimitHits: readKey(await readText(path.join(dirs.pids, "pids.events")), "max"),
    }),
    killAll,
    remove: () => removeGroups(created, killAll),
  };
}

async function detectLayout(): Promise<Layout> {
  const membership = (await readText("/proc/self/cgroup")).split("\n").filter(Boolean);
  const mounts = (await readText("/proc/self/mountinfo")).split("\n").filter(Boolean).map(parseMountInfo);
  const controllerPath = (controller: string) => {
    for (const line of membership) {
      const [, controllers, cgroupPath] = line.split(":");
      if (controllers.split(",").includes(controller)) return cgroupPath;
    }
    return undefined;
  };
  const v1Dir = (controller: string) => {
    const cgroupPath = controllerPath(controller);
    const mount = mounts.find((m) => m.type === "cgroup" && m.superOptions.split(",").includes(controller));
    if (cgroupPath === undefined || !mount) return undefined;
    return path.join(mount.mountPoint, path.relative(mount.root, cgroupPath));
  };

  const problems: string[] = [];
  const unified = membership.find((line) => line.startsWith("0::"))?.slice(3);
  const v2Mount = mounts.find((m) => m.type === "cgroup2");
  if (unified !== undefined && v2Mount) {
    // As root: a group of our own at the top of the hierarchy, beside the service manager's
    // (as Docker's cgroupfs driver does), so the app's own group is left alone. Otherwise the
    // subtree delegated to this process (systemd Delegate=yes, rootless setups).
    const own = path.join(v2Mount.mountPoint, path.relative(v2Mount.root, unified));
    const topLevel = path.join(v2Mount.mountPoint, "factory-sandbox");
    for (const [parent, enable] of [
      [topLevel, () => enableV2TopLevel(v2Mount.mountPoint, topLevel)],
      [own, () => enableV2Delegated(own)],
    ] as const) {
      try {
        await enable();
        return { version: 2, parent };
      } catch (error) {
        problems.push(`cgroup v2 at ${parent}: ${(error as Error).message}`);
      }
    }
  }
  const pids = v1Dir("pids");
  const memory = v1Dir("memory");
  if (pids && memory) {
    const probe = path.join(pids, `factory-probe-${process.pid}`);
    try {
      await mkdir(probe);
      await rmdir(probe);
      return { version: 1, pids, memory, cpu: v1Dir("cpu"), cpuacct: v1Dir("cpuacct") };
    } catch (error) {
      problems.push(`cgroup v1 at ${pids}: ${(error as Error).message}`);
    }
  } else if (!v2Mount) {
    problems.push("no cgroup filesystem is mounted");
  }
  throw new CgroupUnavailableError(problems.join("; ") || "no usable cgroup hierarchy");
}

async function v2Controllers(dir: string): Promise<string[]> {
  const available = (await readText(path.join(dir, "cgroup.controllers"))).split(/\s+/);
  if (!available.includes("pids") || !available.includes("memory")) throw new Error("the pids and memory controllers are not available");
  return ["+pids", "+memory", ...(available.includes("cpu") ? ["+cpu"] : [])];
}

async function enableV2TopLevel(mountPoint: string, topLevel: string): Promise<void> {
  // The root group may hold processes, so enabling controllers for its children always works.
  await writeFile(path.join(mountPoint, "cgroup.subtree_control"), (await v2Controllers(mountPoint)).join(" "));
  await mkdir(topLevel, { recursive: true });
  await writeFile(path.join(topLevel, "cgroup.subtree_control"), (await v2Controllers(topLevel)).join(" "));
}

/**
 * Controllers can be handed to children only by a cgroup without processes of its own (the
 * "no internal processes" rule), so this process first moves into a leaf, as container
 * runtimes do when they nest.
 */
async function enableV2Delegated(own: string): Promise<void> {
  const controllers = (await v2Controllers(own)).join(" ");
  const subtree = path.join(own, "cgroup.subtree_control");
  try {
    await writeFile(subtree, controllers);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EBUSY") throw error;
  }
  const leaf = path.join(own, "factory-app");
  await mkdir(leaf).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  for (const pid of (await readText(path.join(own, "cgroup.procs"))).split("\n").filter(Boolean)) {
    await appendFile(path.join(leaf, "cgroup.procs"), pid).catch(() => {}); // a process that already exited
  }
  await writeFile(subtree, controllers);
}

async function killListed(procsFiles: string[]): Promise<void> {
  for (const file of procsFiles) {
    for (const pid of (await readText(file)).split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
  }
}

async function removeGroups(dirs: string[], killAll: () => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await killAll();
    const results = await Promise.all(dirs.map((dir) => rmdir(dir).then(() => true, (error: NodeJS.ErrnoException) => error.code === "ENOENT")));
    if (results.every(Boolean)) return;
    // Killed processes take a moment to leave the group.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Removes groups left by a process that died before cleaning up (empty ones only). */
async function removeStaleCommandCgroups(parents: string[]): Promise<void> {
  for (const parent of parents) {
    const entries = await readdir(parent).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = /^factory-cmd-(\d+)-/.exec(entry);
      if (!match || isAlive(Number(match[1]))) continue;
      await rmdir(path.join(parent, entry)).catch(() => {});
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readText(file: string): Promise<string> {
  return readFile(file, "utf8").catch(() => "");
}

function readKey(text: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

function parseMountInfo(line: string) {
  const fields = line.split(" ");
  const separator = fields.indexOf("-");
  return { root: fields[3], mountPoint: fields[4], type: fields[separator + 1], superOptions: fields[separator + 3] ?? "" };
}
