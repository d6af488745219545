// The whole environment a sandboxed command gets. Built from constants, never copied from
// process.env, so no secret can reach the sandbox by accident.

export const sandboxHome = "/tmp/home";

const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function buildSandboxEnv(options: { home?: string; extraPathDirs?: string[] } = {}): Record<string, string> {
  const extra = options.extraPathDirs ?? [];
  return {
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
