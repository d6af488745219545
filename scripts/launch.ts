// Shared by `npm run dev` and `npm start`: database (embedded unless DATABASE_URL), migrations,
// API token, then Next.js and, in dev, the Inngest Dev Server. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EnvError, getEnv, resetEnvCache } from "../lib/env";
import { seedModelPrices } from "../lib/llm/model-price";
import { applyMigrations } from "../lib/migrate";
import { prepareDatabase } from "./database";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function readOrCreateApiToken(dataDir: string): string {
  const file = path.join(dataDir, "api-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString("base64url");
  writeFileSync(file, token, { mode: 0o600 });
  return token;
}

export async function launchFactory(mode: "dev" | "start"): Promise<void> {
  if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const port = env.PORT ?? 3000;
  const dataDir = path.resolve(env.FACTORY_DATA_DIR);
  const database = await prepareDatabase();
  const children: ChildProcess[] = [];
  let isStopping = false;

  const stop = async (code: number) => {
    if (isStopping) return;
    isStopping = true;
    for (const child of children) {
      // Each child leads its own process group; signal the group so no grandchild survives.
      if (child.pid && child.exitCode === null) try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
    }
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : null)));
    await database.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    const applied = await applyMigrations({ databaseUrl: database.url });
    console.log(`[db] ${applied.length ? `applied ${applied.join(", ")}` : "schema up to date"}`);
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    console.log(`[db] ${await seedModelPrices()} model prices seeded or refreshed`);
  } catch (error) {
    console.error(`[db] migration failed: ${(error as Error).message}`);
    await stop(1);
  }

  if (!env.FACTORY_MODEL) {
    console.log('[models] FACTORY_MODEL is not set: runs are refused until it is, e.g. FACTORY_MODEL=openai-compatible:glm-5.2 (see .env.example)');
  }
  const apiToken = env.FACTORY_API_TOKEN ?? readOrCreateApiToken(dataDir);
  const hasInngestKeys = Boolean(env.INNGEST_SIGNING_KEY);
  const appUrl = env.FACTORY_PUBLIC_URL ?? `http://localhost:${port}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    FACTORY_API_TOKEN: apiToken,
    FACTORY_PUBLIC_URL: appUrl,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
    // Without keys there is no Inngest Cloud or self-hosted server to talk to: use a Dev Server.
    ...(!hasInngestKeys && !env.INNGEST_DEV ? { INNGEST_DEV: "1" } : {}),
  };

  const spawnChild = (command: string, args: string[], name: string) => {
    const child = spawn(command, args, { cwd: root, env: childEnv, stdio: "inherit", detached: true });
    child.on("exit", (code) => {
      if (!isStopping) {
        console.error(`[factory] ${name} exited with code ${code}; stopping`);
        void stop(code ?? 1);
      }
    });
    children.push(child);
  };

  spawnChild(bin("next"), [mode, "-p", String(port)], "Next.js");

  const inngestCli = bin("inngest-cli");
  if (mode === "dev" && !hasInngestKeys) {
    if (existsSync(inngestCli)) {
      spawnChild(inngestCli, ["dev", "--no-discovery", "-u", `http://localhost:${port}/api/inngest`], "Inngest Dev Server");
    } else {
      console.log(`[inngest] Dev Server not installed; runs cannot start until one runs: npx inngest-cli@latest dev -u http://localhost:${port}/api/inngest`);
    }
  }

  console.log(`\n  Dark Factory: ${appUrl}`);
  console.log(`  Log in with the API token: ${apiToken}`);
  console.log(`  (kept in ${env.FACTORY_API_TOKEN ? "FACTORY_API_TOKEN" : path.join(dataDir, "api-token")}; API calls send it as "Authorization: Bearer <token>")\n`);
}
