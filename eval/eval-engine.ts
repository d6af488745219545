// Where the factory's workflows run during an eval. The real Inngest server (`inngest dev`)
// when its binary is found: it calls the app's own serve handler (app/api/inngest/route.ts),
// served here over HTTP, so steps, retries, invokes and serialisation are the production ones.
// Otherwise the in-process harness the flow tests use. Either way the factory is driven through
// its API, and the database says when a run has ended.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { engineArgs, engineEnv, enginePortsFrom, resolveInngestBinary, type InngestBinary } from "@/scripts/inngest-engine";

export type EngineChoice = "auto" | "inngest" | "harness";

export type EvalEngine = { kind: "inngest" | "harness"; description: string; close: () => Promise<void> };

/** Decides up front (before any work) which engine runs, refusing `inngest` without a binary. */
export function chooseEngine(choice: EngineChoice): { kind: "inngest"; binary: InngestBinary } | { kind: "harness"; why: string } {
  const binary = resolveInngestBinary();
  if (choice === "harness") return { kind: "harness", why: "--engine harness" };
  if (binary) return { kind: "inngest", binary };
  if (choice === "inngest") {
    throw new AppError("bad_request", "--engine inngest: no Inngest server binary found. Set INNGEST_BIN, install the inngest-cli optional dependency, or use --engine harness.");
  }
  return { kind: "harness", why: "no Inngest server binary found" };
}

/** Points the app's Inngest client at the engine; must run before workflows/ is first imported. */
function useEngineEnv(values: Record<string, string>) {
  for (const name of Object.keys(process.env)) if (name.startsWith("INNGEST_")) delete process.env[name];
  Object.assign(process.env, values);
  resetEnvCache();
}

export async function startEvalEngine(choice: ReturnType<typeof chooseEngine>): Promise<EvalEngine> {
  return choice.kind === "inngest" ? startRealEngine(choice.binary) : startHarnessEngine(choice.why);
}

async function startHarnessEngine(why: string): Promise<EvalEngine> {
  const { createInngestHarness } = await import("@/test/inngest-harness");
  const harness = await createInngestHarness({ maxAttempts: 3, runTimeoutMs: 2 * 60 * 60_000 });
  useEngineEnv({ INNGEST_DEV: harness.eventApiUrl });
  const { functions } = await import("@/workflows");
  harness.register(...functions);
  return { kind: "harness", description: `in-process Inngest harness (${why})`, close: () => harness.close() };
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The engine listens on four consecutive ports. */
async function findFreePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = [first, first + 1, first + 2, first + 3];
    if ((await Promise.all(ports.map(isPortFree))).every(Boolean)) return first;
  }
  throw new AppError("unavailable", "No four consecutive free ports for the Inngest server.");
}

type RouteHandler = (request: Request) => Promise<Response>;

/** Node HTTP in, the route's Fetch handlers out: what Next does for app/api/inngest/route.ts. */
function serveRoute(handlers: () => Record<string, RouteHandler | undefined>) {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      try {
        const handler = handlers()[req.method ?? "GET"];
        if (!handler) return void res.writeHead(405).end();
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
        }
        const hasBody = req.method !== "GET" && req.method !== "HEAD";
        const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host}`), { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
        const response = await handler(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`eval serve adapter: ${(error as Error).message}`);
      }
    });
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new AppError("unavailable", `Timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startRealEngine(binary: InngestBinary): Promise<EvalEngine> {
  // The serve handler is imported once the env points at the engine; until then it answers 405.
  let route: Record<string, RouteHandler | undefined> = {};
  const app = serveRoute(() => route);
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const ports = enginePortsFrom(await findFreePortBlock());
  const engineUrl = `http://127.0.0.1:${ports.api}`;
  useEngineEnv({ INNGEST_DEV: engineUrl, INNGEST_SERVE_ORIGIN: appOrigin });
  const { GET, POST, PUT } = (await import("@/app/api/inngest/route")) as unknown as Record<string, RouteHandler>;
  route = { GET, POST, PUT };

  // The server reads INNGEST_* variables and inngest.json above its cwd as its own flags.
  const dir = mkdtempSync(path.join(os.tmpdir(), "factory-eval-engine-"));
  const logFile = path.join(dir, "engine.log");
  const log = openSync(logFile, "a");
  const args = engineArgs({ mode: { kind: "dev" }, ports, appServeUrl: `${appOrigin}/api/inngest`, host: "127.0.0.1" });
  const env: Record<string, string | undefined> = { ...engineEnv(process.env), HOME: dir };
  const child: ChildProcess = spawn(binary.path, args, { cwd: dir, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  const logTail = () => readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    await exited;
  };
  try {
    await waitUntil(`the Inngest server at ${engineUrl} (log: ${logFile})`, async () => {
      if (child.exitCode !== null) throw new Error(`it exited with ${child.exitCode}:\n${logTail()}`);
      return (await fetch(`${engineUrl}/health`)).ok;
    }, 60_000);
    // Register the app's functions (what `PUT /api/inngest` does after a deploy), then wait for the engine to list them.
    await fetch(`${appOrigin}/api/inngest`, { method: "PUT" });
    await waitUntil("the Inngest server to register the factory's functions", async () => {
      const response = await fetch(`${engineUrl}/v0/gql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ apps { name functionCount error } }" }),
      });
      const body = (await response.json()) as { data?: { apps: { functionCount: number; error: string | null }[] } };
      return (body.data?.apps ?? []).some((candidate) => candidate.functionCount > 0 && !candidate.error);
    }, 30_000);
  } catch (error) {
    await stop();
    app.close();
    throw error;
  }
  return {
    kind: "inngest",
    description: `Inngest server (${binary.source}: ${binary.path}) in dev mode at ${engineUrl}`,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
      app.closeAllConnections();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    },
  };
}
