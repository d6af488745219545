// A 3-task fan-out with a dependency on the real engine, in `inngest dev` and self-hosted
// `inngest start` (keys, state in Postgres): alpha and beta run at the same time, gamma
// starts from alpha's branch only after alpha is done.
import { afterEach, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import type { RecordedRequest } from "@/test/scripted-llm-server";
import { gate, startEngineWorld, type EngineRoleScript, type EngineWorld } from "./engine-world";
import type { EngineKind } from "./real-engine";

const tasks = [
  { key: "alpha", title: "Alpha file", description: "Add alpha.txt [task:alpha]", acceptanceCriteria: ["alpha.txt exists"], dependsOn: [] },
  { key: "beta", title: "Beta file", description: "Add beta.txt [task:beta]", acceptanceCriteria: ["beta.txt exists"], dependsOn: [] },
  { key: "gamma", title: "Gamma file", description: "Add gamma.txt next to alpha.txt [task:gamma]", acceptanceCriteria: ["gamma.txt exists"], dependsOn: ["alpha"] },
];
const taskOf = (request: RecordedRequest) => /\[task:(\w+)\]/.exec(request.body)?.[1] ?? "unknown";

let world: EngineWorld | undefined;
afterEach(async () => world?.close());

describe.skipIf(!inject("inngestBinary")).each<EngineKind>(["dev", "start"])("real engine (%s): fan-out with a dependency", (kind) => {
  it("runs independent tasks in parallel and the dependent one after, stacked on its dependency", async () => {
    const betaCoderArrived = gate();
    let didOverlap = false;
    const firstCoderRequestAt = new Map<string, number>();
    const roles: Record<string, EngineRoleScript> = {
      planner: () => ({ toolCalls: [{ name: "submit_plan", args: { tasks } }] }),
      coder: async (request, turn) => {
        const key = taskOf(request);
        if (!firstCoderRequestAt.has(key)) firstCoderRequestAt.set(key, Date.now());
        if (key === "beta") betaCoderArrived.open();
        // Alpha's first turn waits for beta's: only a real parallel fan-out lets both be in flight.
        if (key === "alpha" && turn === 1) {
          didOverlap = await Promise.race([betaCoderArrived.opened.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 90_000))]);
        }
        return turn === 1
          ? { toolCalls: [{ name: "write_file", args: { path: `${key}.txt`, content: `${key}\n` } }] }
          : { toolCalls: [{ name: "finish", args: { summary: `Added ${key}.txt` } }] };
      },
      reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Looks right.", comments: [] } }] }),
    };
    world = await startEngineWorld({ postgresServerUrl: inject("databaseUrl"), kind, roles, testCommand: "test -s README.md" });
    const runId = await world.createRun({ spec: "Add alpha.txt and beta.txt, then gamma.txt next to alpha.txt.", budgetUsd: 5 });
    const run = await world.waitForRunEnd(runId);
    expect(run.status, world.logs()).toBe("succeeded");

    const stored = await db.task.findMany({ where: { runId }, include: { pullRequest: true }, orderBy: { key: "asc" } });
    expect(stored.map((task) => [task.key, task.status])).toEqual([["alpha", "succeeded"], ["beta", "succeeded"], ["gamma", "succeeded"]]);
    expect(didOverlap).toBe(true);
    const [alpha, , gamma] = stored;
    // The dependent task starts from its dependency's work, and only once that work is done.
    expect(gamma.baseBranch).toBe(alpha.branch);
    expect(gamma.pullRequest?.baseBranch).toBe(alpha.branch);
    expect(firstCoderRequestAt.get("gamma")!).toBeGreaterThanOrEqual(alpha.finishedAt!.getTime());
    expect(world.github.state.pulls.map((pull) => pull.isDraft)).toEqual([false, false, false]);
    expect(world.filesOnBranch(gamma.branch!)).toEqual(expect.arrayContaining(["alpha.txt", "gamma.txt"]));
    expect(world.filesOnBranch(gamma.branch!)).not.toContain("beta.txt");
  });
});
