// A hostile agent, through the real tools and sandbox: special files that would freeze a
// synchronous server, resource bombs that must be stopped by their limits, and a setup
// command that tries to reach the host, private ranges and cloud metadata. Throughout, the
// app's own /api/health handler is served from this process (where the tools run) and
// probed; it must keep answering.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { runWorkspaceTool } from "@/lib/agents/tools/workspace-tools";
import { resetEnvCache } from "@/lib/env";
import { isPublicAddress, type EgressPolicy } from "@/lib/sandbox/egress-proxy";
import { measureDiskKib } from "@/lib/sandbox/resource-limits";
import { runSandboxed } from "@/lib/sandbox/run-sandboxed";
import type { ResourceLimits } from "@/lib/sandbox/resource-limits";

const mib = 1024 * 1024;
/** Small limits, so each bomb hits its own limit in seconds. */
const limits: ResourceLimits = { memoryBytes: 256 * mib, pids: 64, cpuSeconds: 3, cpus: 1, fileSizeBytes: 32 * mib, diskBytes: 96 * mib };

let root: string;
let workspace: string;
let health: { server: http.Server; url: string };
let probe: HealthProbe;

const limitEnv = {
  FACTORY_SANDBOX_MEMORY_MB: "256",
  FACTORY_SANDBOX_PIDS: "64",
  FACTORY_SANDBOX_CPU_SECONDS: "3",
  FACTORY_SANDBOX_CPUS: "1",
  FACTORY_SANDBOX_FILE_SIZE_MB: "32",
  FACTORY_SANDBOX_DISK_MB: "96",
};

beforeAll(async () => {
  // The same limits through the env (the run_command tool's path) and passed explicitly below.
  Object.assign(process.env, limitEnv);
  resetEnvCache();
  root = mkdtempSync(path.join(os.tmpdir(), "hostile-agent-"));
  workspace = path.join(root, "ws");
  mkdirSync(workspace);
  writeFileSync(path.join(root, "outside.txt"), "OUTSIDE-SECRET\n");
  execFileSync("git", ["init", "--quiet", workspace]);
  health = await serveHealth();
  probe = startHealthProbe(health.url);
  // The first answer pays for the database connection; what counts is the answers under attack.
  await probe.waitForAnswersAfter(0);
  probe.maxLatencyMs = 0;
});

afterAll(async () => {
  for (const name of Object.keys(limitEnv)) delete process.env[name];
  resetEnvCache();
  probe?.stop();
  await new Promise((resolve) => health?.server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const tool = (name: string, args: unknown) => runWorkspaceTool(name, args, { workspace, commandTimeoutSec: 60 });

describe("special files never reach the file tools", () => {
  it("a FIFO is refused by every file tool, at once, and the server keeps answering", async () => {
    const made = await tool("run_command", { command: "mkfifo pipe && mkdir -p dir && mkfifo dir/pipe2 && echo made" });
    expect(made.output).toContain("made");
    const before = probe.answered;
    for (const [name, args] of [
      ["read_file", { path: "pipe" }],
      ["write_file", { path: "pipe", content: "x" }],
      ["edit_file", { path: "pipe", oldText: "a", newText: "b" }],
      ["search", { pattern: "x", path: "pipe" }],
    ] as const) {
      const result = await tool(name, args);
      expect(result.isError, `${name}: ${result.output}`).toBe(true);
      expect(result.output).toMatch(/named pipe \(FIFO\)|not a regular file/);
    }
    // Searching a directory that holds a FIFO skips it instead of blocking on it.
    writeFileSync(path.join(workspace, "dir", "note.txt"), "needle here\n");
    expect((await tool("search", { pattern: "needle", path: "dir" })).output).toBe("dir/note.txt:1:needle here");
    expect((await tool("list_files", { path: "dir" })).output).toContain("dir/pipe2 (named pipe; not readable with the file tools)");
    await probe.waitForAnswersAfter(before);
  });

  it("a socket and a device are refused", async () => {
    const socketPath = path.join(workspace, "app.sock");
    const socketServer = net.createServer().listen(socketPath);
    await new Promise((resolve) => socketServer.once("listening", resolve));
    try {
      for (const args of [{ path: "app.sock" }, { path: "app.sock", content: "x" }]) {
        const result = await tool("content" in args ? "write_file" : "read_file", args);
        expect(result.isError).toBe(true);
        expect(result.output).toMatch(/socket/);
      }
    } finally {
      socketServer.close();
    }
    // The sandbox cannot mknod (no CAP_MKNOD); a device can only come from the host side (as root, like CI).
    if (process.getuid?.() !== 0) return;
    execFileSync("mknod", [path.join(workspace, "zero"), "c", "1", "5"]);
    const device = await tool("read_file", { path: "zero" });
    expect(device).toMatchObject({ isError: true, output: expect.stringMatching(/character device, not a regular file/) });
    expect((await tool("write_file", { path: "zero", content: "x" })).output).toMatch(/character device/);
  });

  it("symlinks out of the workspace, or to special files, are refused", async () => {
    symlinkSync(path.join(root, "outside.txt"), path.join(workspace, "out-link"));
    symlinkSync("/dev/zero", path.join(workspace, "dev-link"));
    symlinkSync("pipe", path.join(workspace, "pipe-link"));
    expect((await tool("read_file", { path: "out-link" })).output).toMatch(/symbolic link that points outside/);
    expect((await tool("read_file", { path: "dev-link" })).output).toMatch(/symbolic link that points outside/);
    expect((await tool("write_file", { path: "out-link", content: "x" })).output).toMatch(/symbolic link that points outside/);
    expect((await tool("read_file", { path: "pipe-link" })).output).toMatch(/named pipe \(FIFO\)/);
  });
});

describe("resource bombs are stopped by their limits while the app keeps answering", () => {
  const bomb = (command: string, timeoutSec = 60) => runSandboxed({ workspace, command, timeoutSec, limits, maxOutputBytes: 8 * 1024 });

  it("a fork bomb hits the process limit and the whole command is killed", async () => {
    const before = probe.answered;
    const result = await bomb("bomb() { bomb | bomb & }; bomb; sleep 50");
    expect(result.isTimedOut).toBe(false);
    expect(result.limitExceeded?.kind).toBe("pids");
    expect(result.output).toContain("killed: process limit 64 exceeded");
    await probe.waitForAnswersAfter(before);
  });

  it("a memory hog is killed at the memory limit", async () => {
    const before = probe.answered;
    const result = await bomb(`node -e "const kept = []; for (;;) kept.push(Buffer.alloc(8 << 20, 1))"; sleep 50`);
    expect(result.isTimedOut).toBe(false);
    expect(result.limitExceeded?.kind).toBe("memory");
    expect(result.output).toContain("killed: memory limit 256 MiB exceeded");
    await probe.waitForAnswersAfter(before);
  });

  it("a CPU spinner is killed at the CPU time limit, summed over its processes", async () => {
    const before = probe.answered;
    const spin = `node -e "for (;;) {}"`;
    const result = await bomb(`${spin} & ${spin} & wait`);
    expect(result.isTimedOut).toBe(false);
    expect(result.limitExceeded?.kind).toBe("cpu_time");
    expect(result.output).toContain("killed: CPU time limit 3s exceeded");
    await probe.waitForAnswersAfter(before);
  });

  it("one huge file hits the file size limit", async () => {
    const result = await bomb("head -c 100000000 /dev/zero > huge.bin; echo status=$?");
    expect(result.limitExceeded?.kind).toBe("file_size");
    expect(result.limitExceeded?.message).toBe("killed: file size limit 32 MiB exceeded: a single file may not grow past it.");
    rmSync(path.join(workspace, "huge.bin"), { force: true });
  });

  it("a disk filler is killed at the workspace quota, and the run_command tool says so", async () => {
    const before = probe.answered;
    const filler = "mkdir -p fill && i=0; while :; do head -c 8000000 /dev/zero > fill/f$i || exit 9; i=$((i+1)); sleep 0.02; done";
    const result = await runWorkspaceTool("run_command", { command: filler, timeoutSec: 120 }, { workspace });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("killed: workspace disk quota 96 MiB exceeded");
    const usedKib = await measureDiskKib(workspace);
    expect(usedKib).not.toBeNull();
    // Stopped near the quota, not when the disk filled up.
    expect((usedKib ?? Infinity) * 1024).toBeLessThan(limits.diskBytes + 512 * mib);
    rmSync(path.join(workspace, "fill"), { recursive: true, force: true });
    await probe.waitForAnswersAfter(before);
  }, 120_000);

  it("the health endpoint answered every probe, each well under 1 s", () => {
    expect(probe.answered).toBeGreaterThan(10);
    expect(probe.failures).toEqual([]);
    // Generous: an idle answer takes milliseconds.
    expect(probe.maxLatencyMs).toBeLessThan(1_000);
    console.info(`[hostile-agent] /api/health answered ${probe.answered} probes, max latency ${probe.maxLatencyMs.toFixed(1)} ms`);
  });
});

describe("the setup command reaches the package registries and nothing else", () => {
  let registry: http.Server;
  let registryPort: number;
  let tcpService: net.Server;
  let tcpPort: number;
  let reached: string[];

  beforeAll(async () => {
    reached = [];
    registry = http.createServer((request, response) => {
      reached.push(`${request.headers.host}${request.url}`);
      response.end("registry ok\n");
    });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
    registryPort = (registry.address() as net.AddressInfo).port;
    tcpService = net.createServer((socket) => {
      reached.push("tcp");
      socket.end("tcp ok\n");
    });
    await new Promise<void>((resolve) => tcpService.listen(0, "127.0.0.1", resolve));
    tcpPort = (tcpService.address() as net.AddressInfo).port;
  });
  afterAll(() => {
    registry.close();
    tcpService.close();
  });

  /** Test seam (EgressPolicy): names resolve here, never through DNS; only registry.test is trusted to be local. */
  const policy = (): EgressPolicy => ({
    allowedHosts: ["registry.test", "*.private.test", "metadata.test", "loopback.test"],
    allowedPorts: [registryPort, tcpPort, 80, 443],
    lookup: async (host) => {
      const table: Record<string, string> = {
        "registry.test": "127.0.0.1",
        "loopback.test": "127.0.0.1",
        "db.private.test": "10.20.30.40",
        "metadata.test": "169.254.169.254",
      };
      if (!table[host]) throw new Error(`ENOTFOUND ${host}`);
      return [{ address: table[host], family: 4 }];
    },
    testOnlyTrustedAddresses: [],
  });

  /** A proxy-aware client inside the sandbox: plain HTTP in absolute form, or a CONNECT tunnel. */
  const client = (mode: "get" | "connect", target: string) =>
    `node -e "
      const http = require('http');
      const proxy = new URL(process.env.HTTP_PROXY);
      const options = ${mode === "get" ? "{ host: proxy.hostname, port: proxy.port, path: process.argv[1] }" : "{ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: process.argv[1] }"};
      const request = http.request(options);
      request.on('response', (response) => { let body = ''; response.on('data', (c) => body += c); response.on('end', () => console.log('STATUS', response.statusCode, body.trim())); });
      request.on('connect', (response, socket, head) => { console.log('TUNNEL', response.statusCode); if (head.length) console.log('DATA', String(head).trim()); socket.on('data', (d) => console.log('DATA', String(d).trim())); socket.on('end', () => process.exit(0)); socket.on('error', () => process.exit(0)); });
      request.on('error', (error) => console.log('ERROR', error.code));
      request.end();
    " '${target}'`;

  const setup = (command: string, egressPolicy = policy()) =>
    runSandboxed({ workspace, command, timeoutSec: 30, allowNetwork: true, limits, egressPolicy });

  it("cannot connect to loopback, private or metadata addresses directly", async () => {
    const direct = (host: string, port: number) =>
      `node -e "require('net').connect(${port}, '${host}').on('connect', () => console.log('CONNECTED ${host}')).on('error', (e) => console.log('BLOCKED ${host}', e.code))"`;
    const result = await setup([direct("127.0.0.1", tcpPort), direct("10.20.30.40", 80), direct("169.254.169.254", 80), direct("192.168.1.1", 80)].join("; "));
    expect(result.output).not.toContain("CONNECTED");
    expect(result.output.match(/BLOCKED/g)).toHaveLength(4);
    expect(reached).toEqual([]);
  });

  it("the proxy refuses hosts off the allowlist, loopback, private ranges and metadata, even under an allowed name", async () => {
    const result = await setup(
      [
        client("connect", `127.0.0.1:${tcpPort}`),
        client("get", "http://evil.example/"),
        client("connect", `loopback.test:${tcpPort}`),
        client("get", "http://db.private.test/"),
        client("get", "http://metadata.test/latest/meta-data/"),
        client("connect", "[::1]:443"),
      ].join("; "),
    );
    expect(result.output).not.toMatch(/STATUS 200|TUNNEL 200/);
    expect(result.output.match(/(STATUS|TUNNEL) 403/g)).toHaveLength(6);
    expect(result.output).toContain(`[egress proxy refused: 127.0.0.1:${tcpPort} (not an allowed host`);
    expect(result.egressRefusals).toEqual([
      `127.0.0.1:${tcpPort} (not an allowed host (FACTORY_SETUP_ALLOWED_HOSTS))`,
      "evil.example:80 (not an allowed host (FACTORY_SETUP_ALLOWED_HOSTS))",
      `loopback.test:${tcpPort} (resolves only to non-public addresses (127.0.0.1))`,
      "db.private.test:80 (resolves only to non-public addresses (10.20.30.40))",
      "metadata.test:80 (resolves only to non-public addresses (169.254.169.254))",
      "[::1]:443 (not an allowed host (FACTORY_SETUP_ALLOWED_HOSTS))",
    ]);
    expect(reached).toEqual([]);
  });

  it("reaches an allowlisted registry through the proxy, by HTTP and by CONNECT", async () => {
    // The seam trusts 127.0.0.1 for registry.test only in this test, standing in for a public registry.
    const trusted = { ...policy(), testOnlyTrustedAddresses: ["127.0.0.1"] };
    const result = await setup(`${client("get", `http://registry.test:${registryPort}/left-pad`)}; ${client("connect", `registry.test:${tcpPort}`)}`, trusted);
    expect(result.output).toContain("STATUS 200 registry ok");
    expect(result.output).toContain("TUNNEL 200");
    expect(result.output).toContain("DATA tcp ok");
    expect(reached).toEqual([`registry.test:${registryPort}/left-pad`, "tcp"]);
    expect(result.egressRefusals).toEqual([]);
  });

  it("classifies addresses: only public unicast may be dialled", () => {
    for (const address of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::a00:1", "224.0.0.1"]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["104.16.0.35", "151.101.1.63", "2606:4700::6810:84e5"]) expect(isPublicAddress(address), address).toBe(true);
  });
});

type HealthProbe = {
  answered: number;
  failures: string[];
  maxLatencyMs: number;
  waitForAnswersAfter: (count: number) => Promise<void>;
  stop: () => void;
};

/** The app's GET /api/health handler, served over HTTP from this process. */
async function serveHealth(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(async (request, response) => {
    const answer = await healthRoute(new Request(`http://${request.headers.host}${request.url}`));
    response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/health` };
}

/** Asks every 100 ms (one request at a time) and records each latency. */
function startHealthProbe(url: string): HealthProbe {
  let isStopped = false;
  const state: HealthProbe = {
    answered: 0,
    failures: [],
    maxLatencyMs: 0,
    waitForAnswersAfter: async (count) => {
      // Two fresh answers after the bomb: the server is alive now, not only before.
      const deadline = Date.now() + 10_000;
      while (state.answered < count + 2) {
        if (Date.now() > deadline) throw new Error("the health endpoint stopped answering");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () => {
      isStopped = true;
    },
  };
  const loop = async () => {
    while (!isStopped) {
      const startedAt = performance.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        const body = (await response.json()) as { ok: boolean };
        if (!body.ok) state.failures.push(`status ${response.status}`);
        state.answered += 1;
        const latency = performance.now() - startedAt;
        if (latency > 200) console.info(`[hostile-agent] slow health answer: ${latency.toFixed(0)} ms (${expect.getState().currentTestName})`);
        state.maxLatencyMs = Math.max(state.maxLatencyMs, latency);
      } catch (error) {
        state.failures.push(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  void loop();
  return state;
}
