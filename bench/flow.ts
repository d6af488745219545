// Flow speed on the real engine: a 4-task fan-out with one dependency (alpha, beta, gamma in
// parallel, then delta on alpha), every model response taking 2 s, driven through the
// production app (`next start`) and the real Inngest Dev Server with the local GitHub.
//   flowOverheadRatio: wall time from POST /api/runs to the run's end, over the critical
//     path's model time (planner, then the longest dependency chain of task sessions).
//   fanOutEfficiency: how much the independent tasks overlap: the sum of their durations over
//     (their count × the span from the first start to the last finish); 1 is fully parallel.
// Skipped, with the reason, when there is no Inngest server binary or no production build.
import { existsSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { resolveInngestBinary } from "@/scripts/inngest-engine";
import { startEngineWorld, type EngineRoleScript } from "@/test/engine/engine-world";
import { buildDir } from "@/test/engine/real-engine";
import type { RecordedRequest } from "@/test/scripted-llm-server";

const modelDelayMs = 2_000;
const tasks = [
  { key: "alpha", title: "Alpha", description: "Add alpha.txt [task:alpha]", acceptanceCriteria: ["alpha.txt exists"], dependsOn: [] as string[] },
  { key: "beta", title: "Beta", description: "Add beta.txt [task:beta]", acceptanceCriteria: ["beta.txt exists"], dependsOn: [] },
  { key: "gamma", title: "Gamma", description: "Add gamma.txt [task:gamma]", acceptanceCriteria: ["gamma.txt exists"], dependsOn: [] },
  { key: "delta", title: "Delta", description: "Add delta.txt next to alpha.txt [task:delta]", acceptanceCriteria: ["delta.txt exists"], dependsOn: ["alpha"] },
];
const taskOf = (request: RecordedRequest) => /\[task:(\w+)\]/.exec(request.body)?.[1] ?? "planner";

const roles: Record<string, EngineRoleScript> = {
  planner: () => ({ delayMs: modelDelayMs, toolCalls: [{ name: "submit_plan", args: { tasks } }] }),
  coder: (request, turn) => {
    const key = taskOf(request);
    return turn === 1
      ? { delayMs: modelDelayMs, toolCalls: [{ name: "write_file", args: { path: `${key}.txt`, content: `${key}\n` } }] }
      : { delayMs: modelDelayMs, toolCalls: [{ name: "finish", args: { summary: `Added ${key}.txt` } }] };
  },
  reviewer: () => ({ delayMs: modelDelayMs, toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Looks right.", comments: [] } }] }),
};

export type FlowBenchmark =
  | { flowOverheadRatio: number; fanOutEfficiency: number; flowWallMs: number; criticalPathModelMs: number; githubWritesPerTask: number; github422s: number; flowStatus: string }
  | { flowSkipped: string };

/** Longest chain of model time through the plan: each task's own, plus its dependencies'. */
function longestChainMs(modelMsByTask: Map<string, number>): number {
  const memo = new Map<string, number>();
  const chain = (key: string): number => {
    if (memo.has(key)) return memo.get(key)!;
    const task = tasks.find((candidate) => candidate.key === key)!;
    const value = (modelMsByTask.get(key) ?? 0) + Math.max(0, ...task.dependsOn.map(chain));
    memo.set(key, value);
    return value;
  };
  return Math.max(...tasks.map((task) => chain(task.key)));
}

export async function measureFlowOnRealEngine(options: { postgresServerUrl: string }): Promise<FlowBenchmark> {
  if (!resolveInngestBinary()) return { flowSkipped: "no Inngest server binary (INNGEST_BIN, inngest-cli, ../shared/tools/inngest)" };
  if (!existsSync(path.join(buildDir(), "BUILD_ID"))) return { flowSkipped: `no production build in ${buildDir()}: run npm run build first` };

  const world = await startEngineWorld({ kind: "dev", roles, testCommand: "test -s README.md", postgresServerUrl: options.postgresServerUrl });
  try {
    const runId = await world.createRun({ spec: "Add alpha, beta and gamma files, then delta next to alpha.", budgetUsd: 5 });
    const ended = await world.waitForRunEnd(runId, 600_000);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { tasks: true } });
    const flowWallMs = run.finishedAt!.getTime() - run.createdAt.getTime();

    // Model time per task from what the model server actually served (every response waits modelDelayMs).
    const modelMsByTask = new Map<string, number>();
    for (const request of world.llm.requests) modelMsByTask.set(taskOf(request), (modelMsByTask.get(taskOf(request)) ?? 0) + modelDelayMs);
    const criticalPathModelMs = (modelMsByTask.get("planner") ?? 0) + longestChainMs(modelMsByTask);

    const independent = run.tasks.filter((task) => task.dependsOn.length === 0 && task.startedAt && task.finishedAt);
    const span = Math.max(...independent.map((task) => task.finishedAt!.getTime())) - Math.min(...independent.map((task) => task.startedAt!.getTime()));
    const busy = independent.reduce((total, task) => total + (task.finishedAt!.getTime() - task.startedAt!.getTime()), 0);

    const writes = world.github.state.requests.filter((request) => request.method !== "GET" && !/^\/graphql/.test(request.path));
    return {
      flowStatus: String(ended.status),
      flowOverheadRatio: round(flowWallMs / criticalPathModelMs),
      fanOutEfficiency: round(busy / (independent.length * span)),
      flowWallMs,
      criticalPathModelMs,
      githubWritesPerTask: round(writes.length / run.tasks.length),
      github422s: world.github.state.requests.filter((request) => request.status === 422).length,
    };
  } finally {
    await world.close();
  }
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}
