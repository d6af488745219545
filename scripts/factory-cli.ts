// `npm run factory -- agent --role coder --workspace . --task "..."`: runs one agent session
// against a local git checkout, with the app's database configuration, and prints a last
// line of JSON. Exit code 0 only when the session finished (finish / submit_*).
import { parseArgs } from "node:util";
import { z } from "zod";
import { createAgentSession } from "@/lib/agents/agent-session";
import { createDefaultCheckpointer } from "@/lib/agents/workspace-toolkit";
import { agentRoleNames } from "@/lib/agents/roles";
import { runAgentSession } from "@/lib/agents/agent-loop";
import type { SessionOutcome } from "@/lib/agents/agent-session";
import { db, disconnectDb } from "@/lib/db";
import { getEnv, resetEnvCache } from "@/lib/env";
import { openLocalWorkspace } from "@/lib/git/workspace";
import { runGit } from "@/lib/git/run-git";
import { applyMigrations } from "@/lib/migrate";
import { seedModelPrices } from "@/lib/llm/model-price";
import { parseModelRef } from "@/lib/llm/model-ref";
import { resolveModelForRole } from "@/lib/llm/language-model";
import { redactSecrets } from "@/lib/redact";
import { prepareDatabase } from "./database";

const usage = `Usage: npm run factory -- agent --role <${agentRoleNames.join("|")}> --workspace <dir> --task "<text>" [--model provider:model] [--budget-usd N] [--max-turns N] [--turns-per-chunk N]`;

const positiveNumber = (name: string) => z.coerce.number({ message: `${name} must be a number` }).positive({ message: `${name} must be greater than 0` });
const agentArgs = z.object({
  role: z.enum(agentRoleNames as [string, ...string[]], { message: `--role must be one of ${agentRoleNames.join(", ")}` }),
  workspace: z.string({ message: "--workspace is required: a path to a git checkout" }).min(1, { message: "--workspace must not be empty" }),
  task: z.string({ message: '--task is required: the task text, e.g. --task "Add a --version flag"' }).min(1, { message: "--task must not be empty" }),
  model: z.string().optional(),
  "budget-usd": positiveNumber("--budget-usd").max(10_000, { message: "--budget-usd must be at most 10000" }).default(1),
  "max-turns": positiveNumber("--max-turns").int({ message: "--max-turns must be a whole number" }).max(1_000).optional(),
  "turns-per-chunk": positiveNumber("--turns-per-chunk").int({ message: "--turns-per-chunk must be a whole number" }).max(100).default(5),
});

function fail(message: string, code = 2): never {
  console.error(`error: ${message}`);
  console.error(usage);
  process.exit(code);
}

function parseAgentArgs(argv: string[]) {
  const [command, ...rest] = argv;
  if (command !== "agent") fail(command ? `unknown command "${command}"` : "missing command");
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: rest,
      strict: true,
      options: Object.fromEntries(["role", "workspace", "task", "model", "budget-usd", "max-turns", "turns-per-chunk"].map((name) => [name, { type: "string" as const }])),
    }).values;
  } catch (error) {
    fail((error as Error).message.replace(/^.*?Unknown option/, "unknown option"));
  }
  const parsed = agentArgs.safeParse(values);
  if (!parsed.success) fail(parsed.error.issues.map((issue) => issue.message).join("; "));
  if (parsed.data.model) {
    try {
      parseModelRef(parsed.data.model);
    } catch (error) {
      fail(`--model: ${(error as Error).message}`);
    }
  }
  return parsed.data;
}

async function main(): Promise<number> {
  const args = parseAgentArgs(process.argv.slice(2));
  const role = args.role as (typeof agentRoleNames)[number];
  const database = await prepareDatabase();
  let exitCode = 1;
  try {
    if (!getEnv().DATABASE_URL) {
      process.env.DATABASE_URL = database.url;
      resetEnvCache();
    }
    await applyMigrations({ databaseUrl: database.url });
    await seedModelPrices();
    const model = args.model ? parseModelRef(args.model).ref : resolveModelForRole({ role }).ref;
    const workspace = await openLocalWorkspace({ path: args.workspace });
    const checkpointer = createDefaultCheckpointer();
    if ((await runGit({ cwd: workspace, args: ["status", "--porcelain"] })).stdout.trim()) {
      console.log("[agent] warning: the workspace has uncommitted changes; the session's first commit will include them");
    }
    const run = await db.run.create({
      data: { title: `CLI ${role} session`, spec: args.task, budgetUsd: args["budget-usd"], status: "running", startedAt: new Date(), models: { [role]: model } },
      select: { id: true },
    });
    const session = await createAgentSession({ runId: run.id, role, model, task: args.task, startSha: await checkpointer.readHead(workspace) });
    console.log(`[agent] ${role} session ${session.id} on ${workspace} with ${model}, budget $${args["budget-usd"]}`);
    const outcome = await runAgentSession({
      sessionId: session.id,
      workspace,
      checkpointer,
      maxTurns: args["max-turns"],
      turnsPerChunk: args["turns-per-chunk"],
      onTurn: (turn) =>
        console.log(`[turn ${turn.turn}] ${turn.toolNames.join(", ") || "(no tool)"} · in ${turn.inputTokens} (cached ${turn.cacheReadTokens}) out ${turn.outputTokens} · $${Number(turn.costUsd).toFixed(6)} · ${Math.round(turn.modelMs)} ms model`),
      onChunk: (chunk) => console.log(`[chunk] ${chunk.turns} turns, commit ${chunk.lastCommitSha?.slice(0, 12) ?? "-"}`),
    });
    await finishRun(run.id, outcome);
    if (outcome.error) console.log(`[agent] stopped: ${outcome.error}`);
    printResult(outcome);
    exitCode = outcome.stopReason === "finished" || outcome.stopReason === "submitted" ? 0 : 1;
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    console.error(`error: ${message}`);
    console.log(JSON.stringify({ status: "error", stopReason: "error", error: message }));
  } finally {
    await disconnectDb();
    await database.stop();
  }
  return exitCode;
}

async function finishRun(runId: string, outcome: SessionOutcome) {
  const status = outcome.status === "finished" ? "succeeded" : outcome.stopReason === "budget_exhausted" ? "budget_exhausted" : "failed";
  await db.run.update({ where: { id: runId }, data: { status, finishedAt: new Date(), error: outcome.error } });
}

function printResult(outcome: SessionOutcome) {
  console.log(
    JSON.stringify({
      status: outcome.status,
      stopReason: outcome.stopReason,
      turns: outcome.turns,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      cacheReadTokens: outcome.cacheReadTokens,
      costUsd: Number(outcome.costUsd),
      filesChanged: outcome.filesChanged,
      sessionId: outcome.sessionId,
      commit: outcome.lastCommitSha,
    }),
  );
}

process.exit(await main());
