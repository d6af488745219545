// Starts e2e/support/scripted-factory-worker.ts: a run driven by the scripted model through the
// real workflows, against the app's database. Gated sessions wait until the test releases them.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

type WorkerMessage = { runId?: string; repository?: string; gate?: string; finished?: string };

export type ScriptedRun = {
  runId: string;
  repository: string;
  waitForGate: (name: string) => Promise<void>;
  release: (name: string) => void;
  waitForFinish: () => Promise<string>;
  stop: () => void;
};

const root = path.resolve(import.meta.dirname, "..", "..");

export async function startScriptedRun(options: { gates?: string[]; title?: string } = {}): Promise<ScriptedRun> {
  const child: ChildProcessWithoutNullStreams = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["e2e/support/scripted-factory-worker.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, E2E_GATES: (options.gates ?? []).join(","), E2E_RUN_TITLE: options.title ?? "Greet the world", NODE_ENV: "test" },
  });
  child.stderr.on("data", (chunk) => process.stderr.write(`[worker] ${chunk}`));
  const messages: WorkerMessage[] = [];
  const listeners = new Set<() => void>();
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    try {
      messages.push(JSON.parse(line) as WorkerMessage);
      listeners.forEach((listener) => listener());
    } catch {
      process.stderr.write(`[worker] ${line}\n`);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const waitFor = (match: (message: WorkerMessage) => boolean) =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const check = () => {
        const found = messages.find(match);
        if (found) {
          listeners.delete(check);
          resolve(found);
        }
      };
      listeners.add(check);
      check();
      void exited.then((code) => {
        if (!messages.find(match)) reject(new Error(`The scripted worker exited (${code}) before the expected message`));
      });
    });

  const started = await waitFor((message) => typeof message.runId === "string");
  return {
    runId: started.runId!,
    repository: started.repository!,
    waitForGate: async (name) => void (await waitFor((message) => message.gate === name)),
    release: (name) => child.stdin.write(`release ${name}\n`),
    waitForFinish: async () => (await waitFor((message) => typeof message.finished === "string")).finished!,
    stop: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

/** Marks the run's pull requests merged, as the webhook does when a human merges them on GitHub. */
export async function markPullRequestsMerged(runId: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`UPDATE "PullRequest" SET state = 'merged', "mergedAt" = now(), "updatedAt" = now() WHERE "runId" = $1`, [runId]);
  } finally {
    await client.end();
  }
}
