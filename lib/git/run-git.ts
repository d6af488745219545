// Runs the git CLI on the host for the workspace manager. Git here holds the token, so it
// runs with no user or system config, no hooks, no prompts, and repository-controlled
// settings that could run code (fsmonitor, credential helpers) switched off. The token
// travels only in this process's environment (GIT_CONFIG_*), never in argv, config or URLs.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { getEnv, secretValues } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { redactSecrets } from "@/lib/redact";

export type RunGitOptions = {
  cwd: string;
  args: string[];
  /** Sent as an http.extraHeader scoped to remoteUrl's origin, for this command only. */
  token?: string;
  remoteUrl?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 for `diff --quiet`). */
  allowedExitCodes?: number[];
};

export type GitResult = { stdout: string; exitCode: number };

const botIdentity = { name: "Dark Factory", email: "factory@localhost" };

const safeConfig = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "credential.helper=",
  // Nested repositories an agent creates must not make host-side git run their config.
  "submodule.recurse=false",
  "diff.ignoreSubmodules=all",
  "status.submoduleSummary=false",
  "fetch.recurseSubmodules=false",
  "push.recurseSubmodules=no",
  "protocol.ext.allow=never",
  "commit.gpgsign=false",
  "tag.gpgsign=false",
  "advice.detachedHead=false",
  "init.defaultBranch=main",
];

export async function runGit(options: RunGitOptions): Promise<GitResult> {
  const auth = buildAuthConfig(options.token, options.remoteUrl);
  const args = [...safeConfig.flatMap((entry) => ["-c", entry]), ...options.args];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd: options.cwd, env: { ...buildGitEnv(), ...auth.env } as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        if (!error || options.allowedExitCodes?.includes(exitCode)) return resolve({ stdout, exitCode });
        const detail = redactSecrets(String(stderr || error.message).trim(), [...readSecretValues(), ...auth.secrets]);
        reject(
          new AppError("internal", `git ${options.args[0]} failed (exit ${exitCode}): ${detail.slice(-2000)}`, {
            details: { exitCode },
          }),
        );
      },
    );
  });
}

/** Per-command auth header, plus the forms of the token that must be redacted. */
function buildAuthConfig(
  token: string | undefined,
  remoteUrl: string | undefined,
): { env: Record<string, string>; secrets: string[] } {
  if (!token || !remoteUrl || !/^https?:\/\//.test(remoteUrl)) {
    return { env: {} as Record<string, string>, secrets: token ? [token] : [] };
  }
  const encoded = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    env: {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${new URL(remoteUrl).origin}/.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${encoded}`,
    },
    secrets: [token, encoded],
  };
}

/** Redaction must not throw inside the callback, even when the environment is invalid. */
function readSecretValues(): string[] {
  try {
    return secretValues();
  } catch {
    return [];
  }
}

function buildGitEnv(): Record<string, string> {
  const home = path.resolve(getEnv().FACTORY_DATA_DIR, "git-home");
  mkdirSync(home, { recursive: true });
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    LANG: "C",
    GIT_AUTHOR_NAME: botIdentity.name,
    GIT_AUTHOR_EMAIL: botIdentity.email,
    GIT_COMMITTER_NAME: botIdentity.name,
    GIT_COMMITTER_EMAIL: botIdentity.email,
  };
}

/** True when `ref` resolves in the repository at `cwd`. */
export async function hasRef(cwd: string, ref: string): Promise<boolean> {
  const { exitCode } = await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", ref], allowedExitCodes: [1] });
  return exitCode === 0;
}

/**
 * The origin URL and default branch recorded when the workspace was created. Trusted:
 * the sandbox mounts .git read-only, so an agent cannot redirect the token elsewhere.
 */
export async function readWorkspaceRemote(workspace: string): Promise<{ remoteUrl: string; defaultBranch: string }> {
  const read = async (key: string) =>
    (await runGit({ cwd: workspace, args: ["config", "--get", key], allowedExitCodes: [1] })).stdout.trim();
  const remoteUrl = await read("remote.origin.url");
  if (!remoteUrl) throw new AppError("bad_request", `The workspace ${workspace} has no "origin" remote`);
  const originHead = (
    await runGit({ cwd: workspace, args: ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], allowedExitCodes: [1, 128] })
  ).stdout.trim();
  const defaultBranch = (await read("factory.defaultBranch")) || originHead.replace(/^origin\//, "") || "main";
  return { remoteUrl, defaultBranch };
}
