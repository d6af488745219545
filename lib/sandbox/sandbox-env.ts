// The whole environment a sandboxed command gets. Built from constants, never copied from
// process.env, so no secret can reach the sandbox by accident.

export const sandboxHome = "/tmp/home";

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
