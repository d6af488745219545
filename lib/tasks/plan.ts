// A run's plan: saving the planner's tasks and ordering them into dependency waves.
import type { SubmitPlanResult } from "@/lib/agents/roles";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordRunEvent } from "@/lib/runs/run-events";

export type PlannedTaskRef = { key: string; dependsOn: string[] };

/**
 * Groups tasks into waves: every task's dependencies are in earlier waves, so a wave's tasks
 * can run in parallel. Refuses unknown dependencies and cycles, naming the tasks involved.
 */
export function planWaves(tasks: PlannedTaskRef[]): string[][] {
  const keys = new Set(tasks.map((task) => task.key));
  for (const task of tasks) {
    const unknown = task.dependsOn.filter((dependency) => !keys.has(dependency));
    if (unknown.length) throw new AppError("unprocessable", `Task "${task.key}" depends on unknown task(s): ${unknown.join(", ")}`);
  }
  const waves: string[][] = [];
  const done = new Set<string>();
  let remaining = tasks;
  while (remaining.length) {
    const ready = remaining.filter((task) => task.dependsOn.every((dependency) => done.has(dependency)));
    if (!ready.length) {
      throw new AppError("unprocessable", `The plan's dependencies form a cycle among: ${remaining.map((task) => task.key).join(", ")}`);
    }
    waves.push(ready.map((task) => task.key));
    ready.forEach((task) => done.add(task.key));
    remaining = remaining.filter((task) => !done.has(task.key));
  }
  return waves;
}

export type PersistedPlan = { waves: { key: string; taskId: string }[][] };

/**
 * Stores the planner's tasks (once: a retried step finds them already there) and moves the
 * run to running. Returns the waves of task ids to work in order.
 */
export async function persistPlan(options: { runId: string; plan: SubmitPlanResult }): Promise<PersistedPlan> {
  const waves = planWaves(options.plan.tasks);
  const tasks = await db.$transaction(async (tx) => {
    const existing = await tx.task.findMany({ where: { runId: options.runId }, select: { id: true, key: true } });
    if (existing.length) return existing;
    const created = [];
    for (const task of options.plan.tasks) {
      created.push(
        await tx.task.create({
          data: {
            runId: options.runId,
            key: task.key,
            title: task.title,
            description: task.description,
            acceptanceCriteria: task.acceptanceCriteria,
            dependsOn: task.dependsOn,
          },
          select: { id: true, key: true },
        }),
      );
    }
    await tx.run.updateMany({ where: { id: options.runId, status: "planning" }, data: { status: "running" } });
    await recordRunEvent(
      {
        runId: options.runId,
        type: "run.planned",
        payload: { tasks: options.plan.tasks.map((t) => ({ key: t.key, title: t.title, dependsOn: t.dependsOn })), waves },
      },
      tx,
    );
    return created;
  });
  const idByKey = new Map(tasks.map((task) => [task.key, task.id]));
  return { waves: waves.map((wave) => wave.map((key) => ({ key, taskId: idByKey.get(key)! }))) };
}
