// The real Inngest server and the production app as separate processes, for the real-engine
// suite: `inngest dev`, or self-hosted `inngest start` with keys and its state in Postgres, and
// `next start` from the production build. Every process gets its own ports; the app can be
// killed (its whole process group, SIGKILL) and started again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { engineArgs, engineEnv, enginePortsFrom, resolveInngestBinary, type EnginePorts } from "@/scripts/inngest-engine";

const root = path.resolve(import.meta.dirname, "..", "..");

export type EngineKind = "dev" | "start";

/** Polls `check` until it returns a value other than undefined/false; no fixed sleeps in tests. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports (the engine needs four in a row). */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = Array.from({ length: count }, (_, i) => first + i);
    if ((await Promise.all(ports.map(isPortFree))).every(Boolean)) return first;
  }
  throw new Error("no free port block");
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function spawnLogged(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined>; logFile: string }): ChildProcess {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  return child;
}

/** Signals a detached child's whole process group and waits for it to exit. */
async function killGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    return; // already gone
  }
  await exited;
}

export type RealEngine = {
  kind: EngineKind;
  url: string;
  ports: EnginePorts;
  /** What the app needs in its environment to use this engine. */
  appEnv: Record<string, string>;
  logFile: string;
  /** Apps the engine has synced: name (the app id), url, function count, sync error. */
  apps: () => Promise<{ name: string; url: string | null; functionCount: number; error: string | null }[]>;
  /** Function runs the engine knows, newest first: status RUNNING, COMPLETED, FAILED or CANCELLED. */
  functionRuns: () => Promise<{ id: string; status: string; functionSlug: string }[]>;
  stop: () => Promise<void>;
};

/** A database of its own on the test run's Postgres, for `inngest start --postgres-uri`. */
async function createEngineDatabase(serverUrl: string): Promise<string> {
  const url = new URL(serverUrl);
  url.search = "";
  const name = `inngest_${randomBytes(5).toString("hex")}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  url.searchParams.set("sslmode", "disable");
  return url.toString();
}

export type EnginePlan = {
  kind: EngineKind;
  url: string;
  /** What the app needs in its environment to use this engine. */
  appEnv: Record<string, string>;
  /** Starts the server and waits for its /health; start the app first so the server's sync reaches it. */
  start: () => Promise<RealEngine>;
};

/**
 * Prepares the real server: its own working directory and ports, explicit flags and no
 * INNGEST_* variables (it reads them as its own). `start` mode gets fresh keys and keeps its
 * state in a new database on `postgresServerUrl`.
 */
export async function planRealEngine(options: { kind: EngineKind; appServeUrl: string; postgresServerUrl?: string; retryIntervalSec?: number }): Promise<EnginePlan> {
  const binary = resolveInngestBinary();
  if (!binary) throw new Error("No Inngest server binary (INNGEST_BIN, inngest-cli, ../shared/tools/inngest)");
  const dir = mkdtempSync(path.join(os.tmpdir(), `factory-engine-${options.kind}-`));
  const ports = enginePortsFrom(await freePortBlock(4));
  const url = `http://127.0.0.1:${ports.api}`;
  const logFile = path.join(dir, "engine.log");
  let appEnv: Record<string, string>;
  let args: string[];
  if (options.kind === "dev") {
    args = engineArgs({ mode: { kind: "dev" }, ports, appServeUrl: options.appServeUrl, host: "127.0.0.1", retryIntervalSec: options.retryIntervalSec });
    appEnv = { INNGEST_DEV: url };
  } else {
    if (!options.postgresServerUrl) throw new Error("start mode needs a Postgres server");
    const signingKey = randomBytes(32).toString("hex");
    const eventKey = randomBytes(16).toString("hex");
    const postgresUri = await createEngineDatabase(options.postgresServerUrl);
    mkdirSync(path.join(dir, "sqlite"));
    args = engineArgs({
      mode: { kind: "start", eventKey, signingKey, sqliteDir: path.join(dir, "sqlite"), postgresUri },
      ports, appServeUrl: options.appServeUrl, host: "127.0.0.1", retryIntervalSec: options.retryIntervalSec,
    });
    appEnv = { INNGEST_DEV: "0", INNGEST_BASE_URL: url, INNGEST_SIGNING_KEY: signingKey, INNGEST_EVENT_KEY: eventKey };
  }

  const start = async (): Promise<RealEngine> => {
    const child = spawnLogged(binary.path, args, { cwd: dir, env: { ...engineEnv(process.env), HOME: dir }, logFile });
    await waitFor(`the Inngest ${options.kind} server at ${url} (log: ${logFile})`, async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${tail(logFile)}`);
      return (await fetch(`${url}/health`)).ok;
    }, { timeoutMs: 60_000 });
    const apps = async () => {
      const response = await fetch(`${url}/v0/gql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ apps { name url functionCount error } }" }),
      });
      const body = (await response.json()) as { data?: { apps: { name: string; url: string | null; functionCount: number; error: string | null }[] } };
      return body.data?.apps ?? [];
    };
    const functionRuns = async () => {
      const query = `{ runs(first: 100, orderBy: [{ field: QUEUED_AT, direction: DESC }], filter: { from: "2000-01-01T00:00:00Z" }) { edges { node { id status function { slug } } } } }`;
      const response = await fetch(`${url}/v0/gql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      const body = (await response.json()) as { data?: { runs: { edges: { node: { id: string; status: string; function: { slug: string } } }[] } } };
      return (body.data?.runs.edges ?? []).map(({ node }) => ({ id: node.id, status: node.status, functionSlug: node.function.slug }));
    };
    return { kind: options.kind, url, ports, appEnv, logFile, apps, functionRuns, stop: () => killGroup(child, "SIGTERM") };
  };
  return { kind: options.kind, url, appEnv, start };
}

export type RealApp = {
  url: string;
  port: number;
  logFile: string;
  /** SIGKILL to the app's whole process group, as a crashed machine would. */
  crash: () => Promise<void>;
  /** Starts the app again on the same port with the same environment. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

/** Where `next build` wrote the production build the suite runs. */
export function buildDir(): string {
  return path.join(root, process.env.NEXT_DIST_DIR || ".next");
}

/** `next start` from the production build, as `npm start` runs it, on 127.0.0.1:`port`. */
export async function startRealApp(options: { port: number; env: Record<string, string> }): Promise<RealApp> {
  const url = `http://127.0.0.1:${options.port}`;
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), "factory-app-")), "app.log");
  let child: ChildProcess;
  const boot = async () => {
    child = spawnLogged(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(options.port), "-H", "127.0.0.1"], {
      cwd: root,
      logFile,
      env: { ...process.env, ...options.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    await waitFor(`the app at ${url} (log: ${logFile})`, async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${tail(logFile)}`);
      return (await fetch(`${url}/api/health`)).status < 500;
    }, { timeoutMs: 90_000 });
  };
  await boot();
  return {
    url,
    port: options.port,
    logFile,
    crash: () => killGroup(child, "SIGKILL"),
    restart: boot,
    stop: () => killGroup(child, "SIGTERM"),
  };
}

export { tail as logTail };
