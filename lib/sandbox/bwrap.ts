// The sandbox's shape: its mode, the environment a command sees, and the bubblewrap arguments.
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";

// Decides how commands run: under bubblewrap, or (only when the operator chose it
// explicitly with FACTORY_SANDBOX=none) unsandboxed with a scrubbed environment.
export type SandboxMode =
  | { kind: "bwrap"; bwrapPath: string }
  | { kind: "none" }
  | { kind: "unavailable"; message: string };

export function resolveSandboxMode(
  options: { setting?: "bwrap" | "none"; bwrapPath?: string | null } = {},
): SandboxMode {
  const setting = options.setting ?? getEnv().FACTORY_SANDBOX;
  if (setting === "none") return { kind: "none" };
  const bwrapPath = options.bwrapPath === undefined ? findExecutable("bwrap") : options.bwrapPath;
  if (bwrapPath) return { kind: "bwrap", bwrapPath };
  return {
    kind: "unavailable",
    message:
      "Refusing to run the command: bubblewrap (bwrap) is not installed, so it cannot be sandboxed. " +
      "Install it (Debian/Ubuntu: apt-get install -y bubblewrap), or set FACTORY_SANDBOX=none to run " +
      "commands unsandboxed on this host (unsafe: agents could then read and change anything the app can).",
  };
}

let hasWarned = false;

/** Printed once per process, because running agent commands unsandboxed is dangerous. */
export function warnUnsandboxedOnce(): void {
  if (hasWarned) return;
  hasWarned = true;
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "!! WARNING: FACTORY_SANDBOX=none. Agent and setup commands run UNSANDBOXED on  !!",
      "!! this host: they can read your files, reach the network and change anything !!",
      "!! this user can. Only the environment is scrubbed. Install bubblewrap instead. !!",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "",
    ].join("\n"),
  );
}

// A fixed list of system directories: only lib/env.ts reads process.env, and a sandbox
// binary picked up from a user-controlled PATH would defeat the point.
function findExecutable(name: string): string | null {
  for (const dir of ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin"]) {
    const candidate = path.join(/*turbopackIgnore: true*/ dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

// The whole environment a sandboxed command gets. Built from constants, never copied from
// process.env, so no secret can reach the sandbox by accident.

const sandboxHome = "/tmp/home";

const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Where toolchains keep downloaded modules, inside the workspace: HOME is a fresh tmpfs per
 * command, so a cache there would be gone before the offline test command that needs it (Go
 * and Cargo fetch in setup, then build and test without network). Workspaces exclude it from
 * git (lib/git), so no commit carries it.
 */
export const toolchainCacheDir = ".factory-cache";

function toolchainCacheEnv(workspace: string): Record<string, string> {
  const cache = `${workspace}/${toolchainCacheDir}`;
  return { GOMODCACHE: `${cache}/go-mod`, GOCACHE: `${cache}/go-build`, GOPATH: `${cache}/go`, CARGO_HOME: `${cache}/cargo`, PIP_CACHE_DIR: `${cache}/pip` };
}

export function buildSandboxEnv(options: { home?: string; extraPathDirs?: string[]; workspace?: string } = {}): Record<string, string> {
  const extra = options.extraPathDirs ?? [];
  return {
    ...(options.workspace ? toolchainCacheEnv(options.workspace) : {}),
    PATH: [...extra, systemPath].join(":"),
    HOME: options.home ?? sandboxHome,
    TMPDIR: "/tmp",
    LANG: "C.UTF-8",
    TERM: "dumb",
    CI: "1",
    NO_COLOR: "1",
    // Git hooks installers (husky) would try to write .git/config, which is read-only inside.
    HUSKY: "0",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
}

// The bubblewrap command line: a fresh root that holds only the system's programs and
// libraries (read-only), a few harmless /etc files, a private /tmp and the session's own
// workspace. Nothing else of the host exists inside, so the app's directory, .env, the data
// dir, other workspaces and home directories cannot be read, whatever their paths.
export type BwrapInvocation = {
  args: string[];
  /** Contents bwrap reads from extra file descriptors (`--ro-bind-data FD DEST`). */
  dataFds: { fd: number; content: string }[];
  env: Record<string, string>;
};

/** /etc files programs read; none of them holds a secret. */
const etcFiles = [
  "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
  "/etc/timezone", "/etc/nsswitch.conf", "/etc/os-release", "/etc/debian_version", "/etc/mime.types",
  "/etc/services", "/etc/protocols", "/etc/ssl/openssl.cnf", "/etc/magic", "/etc/terminfo", "/etc/inputrc",
];

/**
 * Only the setup command (dependency install) gets these: CA certificates and npm's config.
 * No resolver config: it has no network of its own, and the egress proxy resolves names.
 */
const networkEtcFiles = ["/etc/ssl/certs", "/etc/ca-certificates", "/etc/ca-certificates.conf", "/etc/npmrc"];

/** Where the egress proxy's socket and the bridge to it appear inside the sandbox. */
export const egressPaths = { socket: "/run/factory/egress.sock", bridge: "/run/factory/egress-bridge.cjs", port: 3128 };

/** Merged-/usr systems have these as symlinks; older ones as real directories. */
const rootLinks = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

export function buildBwrapArgs(options: {
  workspace: string;
  /** The egress proxy's Unix socket on the host (setup commands); without it, no way out at all. */
  egress?: { socketPath: string; bridgeSource: string };
}): BwrapInvocation {
  const workspace = realpathSync(options.workspace);
  // Always a network namespace of its own, with loopback only: setup reaches the registries
  // through the egress proxy's socket, never through the host's network.
  const args = ["--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session"];
  const hasEgress = Boolean(options.egress);

  args.push("--ro-bind", "/usr", "/usr");
  for (const link of rootLinks) {
    if (!existsSync(/*turbopackIgnore: true*/ link)) continue;
    const target = realpathSync(/*turbopackIgnore: true*/ link);
    if (target.startsWith("/usr/")) args.push("--symlink", path.relative("/", target), link);
    else args.push("--ro-bind", link, link);
  }

  const nodePrefix = findNodePrefix();
  if (nodePrefix) args.push("--ro-bind", nodePrefix, nodePrefix);

  args.push("--dir", "/etc");
  for (const file of [...etcFiles, ...(hasEgress ? networkEtcFiles : [])]) {
    if (existsSync(file)) args.push("--ro-bind", file, file);
  }
  const dataFds = [
    { fd: 3, content: buildPasswd(), dest: "/etc/passwd" },
    { fd: 4, content: buildGroup(), dest: "/etc/group" },
  ];
  dataFds.push({ fd: 5, content: "127.0.0.1 localhost\n::1 localhost\n", dest: "/etc/hosts" });
  for (const data of dataFds) args.push("--perms", "0644", "--ro-bind-data", String(data.fd), data.dest);

  args.push("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--dir", sandboxHome, "--tmpfs", "/run");
  if (options.egress) {
    // Connecting to a Unix socket needs no write access to its mount: read-only is enough.
    args.push("--dir", path.dirname(egressPaths.socket), "--ro-bind", options.egress.socketPath, egressPaths.socket);
    dataFds.push({ fd: 6, content: options.egress.bridgeSource, dest: egressPaths.bridge });
    args.push("--perms", "0644", "--ro-bind-data", "6", egressPaths.bridge);
  }
  args.push("--bind", workspace, workspace);
  // Host-side git (commits, pushes with the token) trusts .git/config and hooks; the sandbox
  // must not be able to plant a core.fsmonitor or a remote URL there.
  const gitDir = path.join(workspace, ".git");
  if (existsSync(gitDir)) args.push("--ro-bind", gitDir, gitDir);
  args.push("--chdir", workspace);

  const proxyUrl = `http://127.0.0.1:${egressPaths.port}`;
  const proxyEnv: Record<string, string> = hasEgress
    ? { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, npm_config_proxy: proxyUrl, npm_config_https_proxy: proxyUrl, NO_PROXY: "", no_proxy: "" }
    : {};
  const env = { ...buildSandboxEnv({ workspace, extraPathDirs: nodePrefix ? [path.join(nodePrefix, "bin")] : [] }), ...proxyEnv };
  args.push("--clearenv");
  for (const [name, value] of Object.entries(env)) args.push("--setenv", name, value);

  return { args, dataFds: dataFds.map(({ fd, content }) => ({ fd, content })), env };
}

/** Node installed outside /usr (nvm, /opt, a tarball) needs its own prefix bound read-only. */
function findNodePrefix(): string | null {
  const nodeBinary = realpathSync(process.execPath);
  const prefix = path.dirname(path.dirname(nodeBinary));
  return nodeBinary.startsWith("/usr/") || prefix === "/" ? null : prefix;
}

function buildPasswd(): string {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const self = uid === 0 ? "" : `factory:x:${uid}:${gid}:factory:${sandboxHome}:/bin/sh\n`;
  return `root:x:0:0:root:${sandboxHome}:/bin/sh\n${self}nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`;
}

function buildGroup(): string {
  const gid = process.getgid?.() ?? 0;
  return `root:x:0:\n${gid === 0 ? "" : `factory:x:${gid}:\n`}nogroup:x:65534:\n`;
}
