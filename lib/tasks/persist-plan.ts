import { db } from "../db";
import type { SubmitPlanResult } from "../agents/terminal-tools";
import { recordRunEvent } from "../runs/record-run-event";
import { planWaves } from "./plan-waves";

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
