import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getEnv, resetEnvCache } from "@/lib/env";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";
import { resolveSandboxMode } from "./bwrap";
import { runSandboxed } from "./run-sandboxed";

const appDir = process.cwd();
let root: string;
let workspace: string;
let otherWorkspace: string;
let siblingEnv: string;
let dataDir: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "sandbox-test-"));
  workspace = path.join(root, "workspaces", "session-a");
  otherWorkspace = path.join(root, "workspaces", "session-b");
  siblingEnv = path.join(root, "app", ".env");
  for (const dir of [workspace, otherWorkspace, path.dirname(siblingEnv)]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(otherWorkspace, "other.txt"), "OTHER-SESSION-FILE");
  writeFileSync(siblingEnv, `GITHUB_TOKEN=${secretCanaries.GITHUB_TOKEN}\n`);
  dataDir = path.resolve(getEnv().FACTORY_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, "data-secret.txt"), "DATA-DIR-FILE");
  execFileSync("git", ["init", "--quiet", workspace]);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (command: string, extra: { allowNetwork?: boolean; timeoutSec?: number; maxOutputBytes?: number } = {}) =>
  runSandboxed({ workspace, command, timeoutSec: extra.timeoutSec ?? 20, allowNetwork: extra.allowNetwork ?? false, maxOutputBytes: extra.maxOutputBytes ?? 256 * 1024 });

describe("runSandboxed", () => {
  it("returns the exit code and interleaved stdout and stderr", async () => {
    const result = await run("echo one; echo two >&2; echo three; exit 7");
    expect(result).toMatchObject({ exitCode: 7, output: "one\ntwo\nthree\n", isTimedOut: false, isTruncated: false });
  });

  it("runs node and git from the system, in the workspace", async () => {
    const result = await run('pwd; node -e "console.log(6*7)"; git status --short && echo GIT-OK');
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain(`${path.resolve(workspace)}\n42\n`);
    expect(result.output).toContain("GIT-OK");
  });

  it("hides the app directory, other workspaces, the data dir, .env files and home directories", async () => {
    const hidden = [appDir, path.join(appDir, "package.json"), otherWorkspace, dataDir, siblingEnv, "/root", "/home", os.homedir()];
    const checks = hidden.map((p) => `[ -e '${p}' ] && echo "VISIBLE ${p}"`).join("; ");
    const result = await run(`${checks}; cat '${siblingEnv}' '${otherWorkspace}/other.txt' '${dataDir}/data-secret.txt'; echo DONE`);
    expect(result.output).toContain("DONE");
    expect(result.output).not.toContain("VISIBLE");
    expect(result.output).not.toMatch(/OTHER-SESSION-FILE|DATA-DIR-FILE/);
    expect(findCanaries(result.output)).toEqual([]);
    // The root holds only system directories and the mount points the sandbox made.
    const listing = await run("ls -A /");
    const allowed = ["bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin", "tmp", "usr"];
    expect(listing.output.trim().split("\n").filter((entry) => !allowed.includes(entry))).toEqual([]);
  });

  it("keeps writes outside the workspace from reaching the host", async () => {
    const escape = path.join(root, "escape.txt");
    const inApp = path.join(appDir, "pwned-by-sandbox.txt");
    const result = await run(
      `echo x > '${escape}'; echo x > '${inApp}'; echo x > /usr/pwned; echo x > '${otherWorkspace}/pwned'; echo x > .git/config-pwn; echo inside > inside.txt`,
    );
    expect(existsSync(escape)).toBe(false);
    expect(existsSync(inApp)).toBe(false);
    expect(existsSync("/usr/pwned")).toBe(false);
    expect(existsSync(path.join(otherWorkspace, "pwned"))).toBe(false);
    expect(existsSync(path.join(workspace, ".git", "config-pwn"))).toBe(false);
    expect(readFileSync(path.join(workspace, "inside.txt"), "utf8")).toBe("inside\n");
    expect(result.output).toMatch(/Read-only file system/);
  });

  it("mounts .git read-only, so commands cannot plant config that host-side git would run", async () => {
    const before = readFileSync(path.join(workspace, ".git", "config"), "utf8");
    const result = await run("git config core.fsmonitor 'touch /tmp/owned'; echo rc=$?");
    expect(result.output).not.toContain("rc=0");
    expect(readFileSync(path.join(workspace, ".git", "config"), "utf8")).toBe(before);
  });

  it("passes no secret: env, /proc/self/environ and /proc/1/environ hold only the clean environment", async () => {
    for (const [name, value] of Object.entries(secretCanaries)) expect(process.env[name], name).toBe(value);
    const result = await run("env; echo; cat /proc/self/environ /proc/1/environ | tr '\\0' '\\n'; cat /proc/*/cmdline | tr '\\0' ' '");
    expect(result.output).toContain("HOME=/tmp/home");
    expect(result.output).toContain("PATH=");
    expect(findCanaries(result.output)).toEqual([]);
    expect(result.output).not.toMatch(/DATABASE_URL|FACTORY_DATA_DIR|vitest/);
  });

  it("has no network, not even to 127.0.0.1, and neither has the setup command (it gets only the egress proxy)", async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.on("error", () => {});
      socket.end("hello\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const probe = `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('CONNECTED'); process.exit(0) }).on('error', (e) => { console.log('BLOCKED', e.code); process.exit(3) })"`;
    try {
      const offline = await run(probe);
      expect(offline.output).toMatch(/BLOCKED (ECONNREFUSED|ENETUNREACH)/);
      expect(offline.exitCode).toBe(3);

      const setup = await run(`${probe}; echo "proxy=$HTTPS_PROXY"`, { allowNetwork: true });
      expect(setup.output).toMatch(/BLOCKED (ECONNREFUSED|ENETUNREACH)/);
      expect(setup.output).toContain("proxy=http://127.0.0.1:3128");
      expect(connections).toBe(0);
      expect(findCanaries(setup.output)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("kills the whole process tree on timeout", async () => {
    const marker = `tree-marker-${Date.now()}`;
    const sleeper = `node -e "setTimeout(() => {}, 1e6)" ${marker}`;
    const pending = run(`${sleeper} & ${sleeper} & sleep 1000`, { timeoutSec: 3 });
    await waitFor(() => countProcesses(marker) === 2);
    const result = await pending;
    expect(result.isTimedOut).toBe(true);
    expect(result.exitCode).toBe(124);
    expect(result.output).toContain("timed out after 3s");
    await waitFor(() => countProcesses(marker) === 0);
  });

  it("keeps only the tail of long output", async () => {
    const result = await run("seq 1 200000", { maxOutputBytes: 1000 });
    expect(result.isTruncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(1000);
    expect(result.output.endsWith("199999\n200000\n")).toBe(true);
    expect(result.output).not.toContain("\n100\n");
  });
});

describe("sandbox mode", () => {
  it("refuses with a clear message when bwrap is missing, unless FACTORY_SANDBOX=none", () => {
    const missing = resolveSandboxMode({ setting: "bwrap", bwrapPath: null });
    expect(missing.kind).toBe("unavailable");
    expect(missing.kind === "unavailable" && missing.message).toMatch(/bubblewrap.*not installed[\s\S]*FACTORY_SANDBOX=none/);
    expect(resolveSandboxMode({ setting: "none", bwrapPath: null })).toEqual({ kind: "none" });
    expect(resolveSandboxMode({ setting: "bwrap" }).kind).toBe("bwrap");
  });

  it("FACTORY_SANDBOX=none still scrubs the environment and warns loudly once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    process.env.FACTORY_SANDBOX = "none";
    resetEnvCache();
    try {
      const first = await run("env");
      await run("true");
      expect(first.output).toContain("CI=1");
      expect(findCanaries(first.output)).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/UNSANDBOXED/);
    } finally {
      delete process.env.FACTORY_SANDBOX;
      resetEnvCache();
      warn.mockRestore();
    }
  });
});

function countProcesses(marker: string): number {
  const lines = execFileSync("ps", ["-eo", "args"]).toString().split("\n");
  return lines.filter((line) => line.includes(marker) && line.startsWith("node")).length;
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
