// `npm run bench`: a 50-turn scripted coder session with real file edits and sandboxed
// commands, against the scripted model server over HTTP and a real Postgres. Prints one JSON
// object on its last line: harness overhead per turn (model latency and tool time excluded),
// prompt tokens per turn, and the share of input tokens that repeat the previous prefix
// (cacheEligiblePrefixShare; chunk boundaries included, the transcript reloaded from Postgres).
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAgentSession } from "@/lib/agents/agent-session";
import { runAgentSession } from "@/lib/agents/agent-loop";
import type { TurnReport } from "@/lib/agents/agent-loop";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { applyMigrations } from "@/lib/migrate";
import { prepareDatabase } from "@/scripts/database";
import { createSampleRepo, git } from "@/test/agent-fixtures";
import { startScriptedLlmServer, type ScriptedTurn } from "@/test/scripted-llm-server";
import { measureFlowOnRealEngine } from "./flow";
import { measureSseRenderLatency } from "./sse-render";

const turns = 50;
const model = "openai-compatible:bench-model";
const modelPrice = { input: 1.4, output: 4, cacheRead: 0.26, cacheWrite: 0 };

const tempDirs: string[] = [];
if (!process.env.DATABASE_URL) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "factory-bench-"));
  tempDirs.push(dataDir);
  process.env.FACTORY_DATA_DIR = dataDir;
  process.env.FACTORY_DB_PORT = String(randomInt(42_000, 62_000));
}
resetEnvCache();
const database = await prepareDatabase();
process.env.DATABASE_URL = database.url;
const server = await startScriptedLlmServer();
process.env.OPENAI_COMPATIBLE_BASE_URL = server.baseUrl;
process.env.FACTORY_MODEL_PRICES = JSON.stringify({ [model]: modelPrice });
resetEnvCache();

try {
  await applyMigrations({ databaseUrl: database.url });
  const workspace = createSampleRepo({
    "package.json": JSON.stringify({ name: "bench-app", type: "module", scripts: { test: "node test.js" } }, null, 2),
    "src/math.js": "export const add = (a, b) => a + b;\n",
    "test.js": "import { add } from './src/math.js';\nif (add(1, 2) !== 3) throw new Error('add');\nconsole.log('tests pass');\n",
    "docs/guide.md": Array.from({ length: 3_000 }, (_, i) => `Guide line ${i}: how the bench app works, in some detail.`).join("\n"),
  });
  tempDirs.push(workspace);
  server.push(...buildScript());
  const run = await db.run.create({ data: { title: "bench", spec: "bench", budgetUsd: 100, status: "running" }, select: { id: true } });
  const session = await createAgentSession({ runId: run.id, role: "coder", model, task: "Grow the math module: one function per step, each with a test, and keep the tests passing." });

  const reports: TurnReport[] = [];
  const startedAt = performance.now();
  const outcome = await runAgentSession({ sessionId: session.id, workspace, maxTurns: turns, onTurn: (report) => reports.push(report) });
  const wallMs = performance.now() - startedAt;

  const overheads = reports.map((report) => report.totalMs - report.modelMs - report.toolMs).sort((a, b) => a - b);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const inputTokens = sum(reports.map((report) => report.inputTokens));
  const result = {
    turns: outcome.turns,
    stopReason: outcome.stopReason,
    harnessOverheadMsP50: round(percentile(overheads, 0.5)),
    harnessOverheadMsP95: round(percentile(overheads, 0.95)),
    // Includes the per-chunk commit and transcript save, spread over the turns.
    harnessOverheadMsMeanWithCheckpoints: round((wallMs - sum(reports.map((report) => report.modelMs + report.toolMs))) / reports.length),
    modelMsP50: round(percentile(reports.map((report) => report.modelMs).sort((a, b) => a - b), 0.5)),
    toolMsP50: round(percentile(reports.map((report) => report.toolMs).sort((a, b) => a - b), 0.5)),
    // Part of the harness overhead: the per-turn save (transcript and commit sha) that makes a crash lose at most one turn.
    turnSaveMsP50: round(percentile(reports.map((report) => report.saveMs).sort((a, b) => a - b), 0.5)),
    promptTokensPerTurn: reports.map((report) => report.inputTokens),
    cacheEligiblePrefixShare: round(sum(reports.map((report) => report.cacheReadTokens)) / inputTokens, 4),
    totalInputTokens: inputTokens,
    costUsd: Number(outcome.costUsd),
    filesChanged: outcome.filesChanged.length,
    commits: Number(git(workspace, "rev-list", "--count", "HEAD")) - 1,
    // Whole-flow speed on the real Inngest server (bench/flow.ts); says why when it is skipped.
    ...(await measureFlowOnRealEngine({ postgresServerUrl: database.url })),
    // Commit-to-page latency with 50 viewers on the production app (bench/sse-render.ts); says why when it is skipped.
    ...(await measureSseRenderLatency({ model, modelPrice })),
  };
  console.log(JSON.stringify(result));
} finally {
  await server.close();
  await disconnectDb();
  await database.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/** A realistic mix: explore, then per function write it, edit the test, run the tests. */
function buildScript(): ScriptedTurn[] {
  const steps: ScriptedTurn[] = [
    { toolCalls: [{ name: "list_files", args: { depth: 2 } }] },
    { toolCalls: [{ name: "read_file", args: { path: "docs/guide.md" } }] },
    { toolCalls: [{ name: "read_file", args: { path: "src/math.js" } }] },
    { toolCalls: [{ name: "search", args: { pattern: "add", glob: "*.js" } }] },
  ];
  for (let i = 0; steps.length < turns - 1; i++) {
    const name = `fn${i}`;
    const cycle: ScriptedTurn[] = [
      { text: `Adding ${name}.`, toolCalls: [{ name: "write_file", args: { path: `src/${name}.js`, content: `export const ${name} = (x) => x * ${i + 2};\n` } }] },
      { toolCalls: [{ name: "edit_file", args: { path: "test.js", oldText: "console.log('tests pass');", newText: `import { ${name} } from './src/${name}.js';\nif (${name}(1) !== ${i + 2}) throw new Error('${name}');\nconsole.log('tests pass');` } }] },
      { toolCalls: [{ name: "run_command", args: { command: "node test.js" } }] },
      { toolCalls: [{ name: "read_file", args: { path: "docs/guide.md", startLine: i * 250 + 1, endLine: i * 250 + 250 } }] },
    ];
    steps.push(...cycle.slice(0, turns - 1 - steps.length));
  }
  steps.push({ toolCalls: [{ name: "finish", args: { summary: "Added functions with tests; tests pass." } }] });
  return steps;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
