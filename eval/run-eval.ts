// `npm run eval`: every selected task under every selected configuration, through the whole
// factory, on a throwaway database and a local GitHub; then tables and a JSON report.
// Configurations run one after another (each may point the providers elsewhere); a
// configuration's tasks run `concurrency` at a time.
import { randomBytes, randomInt } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { disconnectDb } from "@/lib/db";
import { startEmbeddedPostgres } from "@/lib/embedded-postgres";
import { parseEnv, resetEnvCache } from "@/lib/env";
import { resetGitHubClients } from "@/lib/github/app-auth";
import { seedModelPrices } from "@/lib/llm/model-price";
import { applyMigrations } from "@/lib/migrate";
import { startFakeGitHub } from "@/test/fake-github";
import { configEnvironment, type EvalConfig } from "./eval-configs";
import { startEvalEngine } from "./eval-engine";
import { createEvalProgress } from "./eval-progress";
import { buildEvalReport, formatNotes, formatSummaryTable, formatTaskGrid, type EvalReport } from "./eval-report";
import type { EvalTask } from "./eval-tasks";
import type { PreparedEval } from "./prepare-eval";
import { planRunRequest, runEvalTask, type EvalGitHub, type EvalTaskResult } from "./run-eval-task";
import { startScriptedSolver } from "./scripted-solver";

export type RunEvalOptions = {
  /** From prepareEval, which refused bad input before any work. */
  prepared: PreparedEval;
  concurrency: number;
  timeoutMin: number;
  jsonPath?: string;
  out?: NodeJS.WritableStream;
  progressStream?: NodeJS.WriteStream;
};

/** Variables the eval replaces for its own runs: GitHub is local, Slack stays quiet, the database is throwaway. */
const isolatedVariables = [
  "DATABASE_URL", "FACTORY_DATA_DIR", "FACTORY_DB_PORT", "FACTORY_API_TOKEN", "GITHUB_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_API_URL", "GITHUB_WEBHOOK_SECRET", "SLACK_WEBHOOK_URL", "FACTORY_PUBLIC_URL",
];

/** Sets variables for the duration of `work`, then puts the previous values back. */
async function withEnv<T>(values: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvCache();
  };
  apply(values);
  try {
    return await work();
  } finally {
    apply(previous);
  }
}

async function runConfig(input: {
  config: EvalConfig;
  tasks: EvalTask[];
  github: EvalGitHub;
  options: RunEvalOptions;
  routes: { postRun: (body: Record<string, unknown>) => Promise<Response>; cancelRun: (runId: string) => Promise<void> };
  progress: ReturnType<typeof createEvalProgress>;
}): Promise<EvalTaskResult[]> {
  const { config, tasks, progress } = input;
  const solver = config.scripted ? await startScriptedSolver(tasks) : undefined;
  const providerEnv = solver ? { OPENAI_COMPATIBLE_BASE_URL: solver.baseUrl, OPENAI_COMPATIBLE_API_KEY: undefined } : configEnvironment(config).values;
  try {
    return await withEnv(providerEnv, async () => {
      progress.start(config.name, tasks.length);
      const queue = [...tasks];
      const results: EvalTaskResult[] = [];
      const worker = async () => {
        for (let task = queue.shift(); task; task = queue.shift()) {
          progress.taskStarted(task.id);
          const result = await runEvalTask({
            task, config, github: input.github, repoName: `${task.id}--${config.name}`,
            postRun: input.routes.postRun, cancelRun: input.routes.cancelRun, timeoutMs: input.options.timeoutMin * 60_000,
          }).catch((error: Error): EvalTaskResult => ({
            taskId: task!.id, config: config.name, runId: null, runStatus: "error", isResolved: false, hiddenTests: null,
            reason: `eval error: ${error.message.slice(0, 300)}`, costUsd: 0, iterations: 0, plannedTasks: 0, llmCalls: 0,
            inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, wallTimeSec: 0, pullRequests: [], applied: { coderAttempts: null, models: null },
          }));
          results.push(result);
          progress.taskFinished(result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(input.options.concurrency, tasks.length) }, worker));
      progress.stop();
      return tasks.map((task) => results.find((r) => r.taskId === task.id)!);
    });
  } finally {
    await solver?.close();
  }
}

export async function runEval(options: RunEvalOptions): Promise<EvalReport> {
  const out = options.out ?? process.stdout;
  const { tasks, configs, engine: engineChoice } = options.prepared;
  const startedAt = new Date();

  // Everything below is this process's own: prices every configuration needs, a fresh data dir
  // and database, a local GitHub, a random API token.
  const prices = { ...parseEnv().FACTORY_MODEL_PRICES, ...Object.assign({}, ...configs.map((c) => c.prices)) };
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "factory-eval-"));
  chmodSync(tempDir, 0o755); // as root, Postgres runs as the `postgres` user and must traverse it
  const apiToken = randomBytes(24).toString("base64url");
  const githubToken = `eval-${randomBytes(12).toString("hex")}`;
  for (const name of isolatedVariables) delete process.env[name];
  Object.assign(process.env, {
    FACTORY_DATA_DIR: path.join(tempDir, "data"),
    FACTORY_API_TOKEN: apiToken,
    FACTORY_MODEL_PRICES: JSON.stringify(prices),
  });
  resetEnvCache();

  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(tempDir, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  };
  // The Inngest server runs in its own process group: Ctrl-C must stop it and the database too.
  const onSignal = (signal: NodeJS.Signals) => void cleanUp().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // embedded-postgres's own signal hook may exit first; the temp dir still goes.
  const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true });
  process.once("exit", removeTempDir);
  try {
    const database = await startEmbeddedPostgres({ dataDir: path.join(tempDir, "db"), port: randomInt(42_000, 62_000), persistent: false });
    cleanups.unshift(database.stop);
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    await applyMigrations({ databaseUrl: database.url });
    cleanups.unshift(disconnectDb);
    await seedModelPrices();

    const fake = await startFakeGitHub({ token: githubToken });
    cleanups.unshift(fake.close);
    process.env.GITHUB_API_URL = fake.apiUrl;
    process.env.GITHUB_TOKEN = githubToken;
    resetEnvCache();
    resetGitHubClients();
    const github: EvalGitHub = {
      owner: "eval",
      token: githubToken,
      createRepository: async ({ name, files }) => void (await fake.createRepository({ owner: "eval", name, files })),
      cloneUrl: (name) => fake.gitUrl("eval", name),
    };

    const engine = await startEvalEngine(engineChoice);
    cleanups.unshift(engine.close);
    const runsRoute = await import("@/app/api/runs/route");
    const cancelRoute = await import("@/app/api/runs/[id]/cancel/route");
    const headers = { authorization: `Bearer ${apiToken}`, "content-type": "application/json" };
    const routes = {
      postRun: (body: Record<string, unknown>) => runsRoute.POST(new Request("http://localhost/api/runs", { method: "POST", headers, body: JSON.stringify(body) })),
      cancelRun: async (runId: string) => {
        await cancelRoute.POST(new Request(`http://localhost/api/runs/${runId}/cancel`, { method: "POST", headers }), { params: Promise.resolve({ id: runId }) });
      },
    };

    const progress = createEvalProgress(options.progressStream);
    const results: EvalTaskResult[] = [];
    for (const config of configs) results.push(...(await runConfig({ config, tasks, github, options, routes, progress })));

    const unsupported = new Map(configs.map((config) => [config.name, tasks[0] ? planRunRequest({ config, task: tasks[0], repo: "eval/x" }).unsupported : []]));
    const report = buildEvalReport({ startedAt, engine: engine.description, taskIds: tasks.map((t) => t.id), configs, results, unsupported });
    out.write(`\nEngine: ${report.engine}\n\n${formatSummaryTable(report.summary)}\n\n${formatTaskGrid(report)}\n`);
    const notes = formatNotes(report);
    if (notes.length) out.write(`\n${notes.map((note) => `- ${note}`).join("\n")}\n`);
    if (options.jsonPath) {
      writeFileSync(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
      out.write(`\nJSON report: ${options.jsonPath}\n`);
    }
    return report;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanUp();
    process.off("exit", removeTempDir);
  }
}
