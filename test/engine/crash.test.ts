// A crash mid-chunk on the real engine, in `inngest dev` and self-hosted `inngest start`:
// the app's whole process group is killed (SIGKILL) while a coder chunk waits on the model,
// then started again on the same port. The engine retries the lost step and the run completes.
import { afterEach, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import { gate, startEngineWorld, type EngineRoleScript, type EngineWorld } from "./engine-world";
import type { EngineKind } from "./real-engine";

let world: EngineWorld | undefined;
afterEach(async () => world?.close());

describe.skipIf(!inject("inngestBinary")).each<EngineKind>(["dev", "start"])("real engine (%s): a crash mid-chunk", (kind) => {
  it("recovers when the app is killed mid-chunk and restarted: the run completes with one PR", async () => {
    const midChunk = gate();
    const release = gate();
    let isHeldOnce = false;
    let secondTurnRequests = 0;
    const roles: Record<string, EngineRoleScript> = {
      planner: () => ({
        toolCalls: [{ name: "submit_plan", args: { tasks: [{ key: "greeting", title: "Greeting file", description: "Add hello.txt with hello", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] }] } }],
      }),
      coder: async (_request, turn) => {
        if (turn === 1) return { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] };
        if (turn === 2) {
          secondTurnRequests++;
          if (!isHeldOnce) {
            // The chunk is in flight inside the app: hold its model call until the app is dead.
            isHeldOnce = true;
            midChunk.open();
            await release.opened;
          }
          return { toolCalls: [{ name: "run_command", args: { command: "cat hello.txt" } }] };
        }
        return { toolCalls: [{ name: "finish", args: { summary: "Added hello.txt" } }] };
      },
      reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Correct.", comments: [] } }] }),
    };
    world = await startEngineWorld({ postgresServerUrl: inject("databaseUrl"), kind, roles, testCommand: "grep -qx hello hello.txt", retryIntervalSec: 2 });
    const runId = await world.createRun();

    await midChunk.opened;
    await world.app.crash();
    const isDown = await fetch(`${world.app.url}/api/health`).then(() => false, () => true);
    release.open();
    expect(isDown).toBe(true);
    await world.app.restart();

    const run = await world.waitForRunEnd(runId);
    expect(run.status, world.logs()).toBe("succeeded");
    // The lost chunk ran again after the restart, on the engine's retry.
    expect(secondTurnRequests).toBeGreaterThanOrEqual(2);
    const tasks = await db.task.findMany({ where: { runId }, include: { pullRequest: true } });
    expect(tasks.map((task) => task.status)).toEqual(["succeeded"]);
    expect(world.github.state.pulls).toHaveLength(1);
    expect(world.github.state.pulls[0].isDraft).toBe(false);
    expect(world.filesOnBranch(tasks[0].branch!)).toContain("hello.txt");
    const stored = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(stored.reservedUsd.toNumber()).toBe(0);
  });
});
