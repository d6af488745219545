// `npm run eval -- --config <name> [--config <name2>] [--tasks a,b] [--json out.json]`
// Runs the benchmark in eval/ through the whole factory and prints, per configuration, the
// resolve rate (hidden tests pass), $ per task, $ per resolved task, iterations and wall time.
// Exit codes: 0 ran (whatever the resolve rate), 2 bad input (nothing was started), 1 crashed.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const usage = `Usage: npm run eval -- --config <name> [--config <name>...] [options]

  --config <name>      a configuration from eval/configs.json (repeat to compare side by side)
  --configs <file>     read configurations from this file instead of eval/configs.json
  --tasks <a,b,...>    only these tasks (default: all in eval/tasks)
  --json <file>        also write the full report as JSON
  --engine <which>     auto (default: the real Inngest server when its binary is found),
                       inngest, or harness (in-process)
  --concurrency <n>    tasks at a time within a configuration (default 2)
  --timeout-min <n>    a run still going after this many minutes is cancelled (default 30)
  --list               list configurations and tasks, then exit
`;

const root = path.resolve(import.meta.dirname, "..");
if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      config: { type: "string", multiple: true, default: [] },
      configs: { type: "string" },
      tasks: { type: "string" },
      json: { type: "string" },
      engine: { type: "string", default: "auto" },
      concurrency: { type: "string", default: "2" },
      "timeout-min": { type: "string", default: "30" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (args.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const { AppError } = await import("@/lib/errors");
const { loadEvalConfigs } = await import("@/eval/eval-configs");
const { loadEvalTasks } = await import("@/eval/eval-tasks");
const { prepareEval } = await import("@/eval/prepare-eval");

const engine = args.engine;
if (engine !== "auto" && engine !== "inngest" && engine !== "harness") fail(`--engine must be auto, inngest or harness, not "${engine}".`);
const concurrency = Number(args.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) fail(`--concurrency must be a whole number from 1 to 16, not "${args.concurrency}".`);
const timeoutMin = Number(args["timeout-min"]);
if (!(timeoutMin > 0 && timeoutMin <= 24 * 60)) fail(`--timeout-min must be a number of minutes above 0, not "${args["timeout-min"]}".`);
if (args.json && !existsSync(path.dirname(path.resolve(args.json)))) fail(`--json: the folder ${path.dirname(path.resolve(args.json))} does not exist.`);
const configsFile = args.configs ? path.resolve(args.configs) : undefined;
if (configsFile && !existsSync(configsFile)) fail(`--configs: ${configsFile} does not exist.`);

try {
  if (args.list) {
    for (const [name, config] of loadEvalConfigs(configsFile)) process.stdout.write(`config  ${name.padEnd(22)} ${config.description}\n`);
    for (const task of loadEvalTasks()) process.stdout.write(`task    ${task.id.padEnd(22)} ${task.language} ${task.difficulty} ${task.kind}: ${task.title}\n`);
    process.exit(0);
  }
  const prepared = prepareEval({ configNames: args.config, configsFile, taskIds: args.tasks?.split(",").map((id) => id.trim()).filter(Boolean), engine });
  // Heavy imports (the app, the workflows, the stand-ins) only once the input is known to be good.
  const { runEval } = await import("@/eval/run-eval");
  await runEval({
    prepared,
    concurrency,
    timeoutMin,
    jsonPath: args.json ? path.resolve(args.json) : undefined,
  });
  process.exit(0);
} catch (error) {
  if (error instanceof AppError && error.status < 500) fail(error.message);
  process.stderr.write(`eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
