// Shared by `npm run dev` and `npm start`: database (embedded unless DATABASE_URL), migrations,
// API token, then Next.js and, in dev, an Inngest Dev Server of its own. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EnvError, getEnv, resetEnvCache } from "@/lib/env";
import { seedModelPrices } from "@/lib/llm/model-price";
import { applyMigrations } from "@/lib/migrate";
import { prepareDatabase } from "./database";
import { resolveInngestBinary } from "./inngest-engine";
import { generateEngineKeys, planLaunch, refuseLaunch, type ChildPlan, type EngineKeys, type LaunchMode } from "./launch-plan";

const root = path.resolve(import.meta.dirname, "..");

/** A secret kept in the data dir (owner-only), made on first use: the same across restarts. */
function readOrCreateSecret(dataDir: string, name: string, create: () => string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = create();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function readOrCreateEngineKeys(dataDir: string): EngineKeys {
  const stored = readOrCreateSecret(dataDir, "inngest-keys.json", () => JSON.stringify(generateEngineKeys()));
  const keys = JSON.parse(stored) as Partial<EngineKeys>;
  if (typeof keys.signingKey !== "string" || !/^([0-9a-f]{2})+$/.test(keys.signingKey) || typeof keys.eventKey !== "string" || !keys.eventKey) {
    throw new Error(`${path.join(dataDir, "inngest-keys.json")} is not {"signingKey": "<even-length hex>", "eventKey": "<text>"}; delete it to have new keys made`);
  }
  return { signingKey: keys.signingKey, eventKey: keys.eventKey };
}

export async function launchFactory(mode: LaunchMode): Promise<void> {
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
  // Before anything starts: a production launch that would serve unsigned workflow calls stops here.
  const refusal = refuseLaunch(mode, env);
  if (refusal) {
    console.error(`[factory] ${refusal}`);
    process.exit(1);
  }
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
  const apiToken = env.FACTORY_API_TOKEN ?? readOrCreateSecret(dataDir, "api-token", () => randomBytes(24).toString("base64url"));
  const engineBinary = mode === "dev" ? resolveInngestBinary() : undefined;
  const plan = planLaunch({
    mode, env, processEnv: process.env, root, dataDir, databaseUrl: database.url, apiToken,
    engineBinary, engineKeys: engineBinary ? readOrCreateEngineKeys(dataDir) : undefined,
  });
  if (!plan.ok) {
    console.error(`[factory] ${plan.error}`);
    await stop(1);
    return;
  }

  const spawnChild = (child: ChildPlan) => {
    mkdirSync(child.cwd, { recursive: true });
    const process_ = spawn(child.command, child.args, { cwd: child.cwd, env: child.env as NodeJS.ProcessEnv, stdio: "inherit", detached: true });
    process_.on("exit", (code) => {
      if (!isStopping) {
        console.error(`[factory] ${child.name} exited with code ${code}; stopping`);
        void stop(code ?? 1);
      }
    });
    children.push(process_);
  };

  spawnChild(plan.next);
  if (plan.engine) spawnChild(plan.engine);
  plan.notes.forEach((note) => console.log(note));

  console.log(`\n  Dark Factory: ${plan.appUrl}`);
  console.log(`  Log in with the API token: ${apiToken}`);
  console.log(`  (kept in ${env.FACTORY_API_TOKEN ? "FACTORY_API_TOKEN" : path.join(dataDir, "api-token")}; API calls send it as "Authorization: Bearer <token>")\n`);
}
