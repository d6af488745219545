// Boots the factory as `npm start` would (production build), against an embedded Postgres
// and a stand-in Inngest Event API. Tests reach the app, the database and the recorded events
// through E2E_* variables.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/embedded-postgres";
import { applyMigrations } from "@/lib/migrate";
import { startFakeGitHub } from "@/test/fake-github";
import { startFakeInngestEventApi } from "@/test/fake-inngest-event-api";

const root = path.resolve(import.meta.dirname, "..");
const apiToken = "e2e-api-token-0123456789abcdef";
const e2eModel = "openai-compatible:glm-5.2";
const e2eGitHubToken = "e2e-fake-github-token-0123";

/** Repositories on the local GitHub that browser tests read (e.g. profile detection). */
const e2eRepositories: Record<string, Record<string, string>> = {
  "acme/e2e-profiles": {
    "package.json": JSON.stringify({ name: "e2e-profiles", scripts: { test: "vitest run", build: "vite build" } }, null, 2),
    "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    ".github/workflows/ci.yml": "on: [push]\njobs: {}\n",
  },
};
const webhookSecret = "e2e-webhook-secret-0123456789";

/** The launchers seed list prices at start; this boots `next start` directly, so it seeds here. */
async function seedPrices(databaseUrl: string) {
  const { execFileSync } = await import("node:child_process");
  execFileSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/seed-prices.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "inherit" });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app did not become healthy at ${url}`);
}

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "factory-e2e-"));
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "factory_e2e", persistent: false });
  await applyMigrations({ databaseUrl: database.url });
  await seedPrices(database.url);
  const engine = await startFakeInngestEventApi();
  const github = await startFakeGitHub({ token: e2eGitHubToken });
  for (const [fullName, files] of Object.entries(e2eRepositories)) {
    const [owner, name] = fullName.split("/");
    await github.createRepository({ owner, name, files });
  }
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;

  const app = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(appPort), "-H", "127.0.0.1"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      FACTORY_API_TOKEN: apiToken,
      FACTORY_PUBLIC_URL: appUrl,
      FACTORY_DATA_DIR: dataDir,
      INNGEST_DEV: engine.url,
      FACTORY_MODEL: e2eModel,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_TOKEN: e2eGitHubToken,
      GITHUB_WEBHOOK_SECRET: webhookSecret,
    },
  });
  await waitForHealth(appUrl, app);

  process.env.E2E_BASE_URL = appUrl;
  process.env.E2E_APP_PORT = String(appPort);
  process.env.E2E_DATABASE_URL = database.url;
  process.env.E2E_API_TOKEN = apiToken;
  process.env.E2E_WEBHOOK_SECRET = webhookSecret;

  return async () => {
    if (app.pid) try { process.kill(-app.pid, "SIGTERM"); } catch { /* already gone */ }
    await engine.close();
    await github.close();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
