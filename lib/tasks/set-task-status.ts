import { db } from "../db";
import type { TaskStatus } from "../generated/prisma/enums";
import { recordRunEvent } from "../runs/record-run-event";

/** Moves a task to a new status (with the iteration it reached) and records why. */
export async function setTaskStatus(options: { taskId: string; status: TaskStatus; iteration?: number; reason?: string }) {
  const isFinal = options.status !== "pending" && options.status !== "running";
  await db.$transaction(async (tx) => {
    const task = await tx.task.update({
      where: { id: options.taskId },
      data: {
        status: options.status,
        iteration: options.iteration,
        error: options.reason ?? null,
        ...(options.status === "running" ? { startedAt: new Date() } : {}),
        ...(isFinal ? { finishedAt: new Date() } : {}),
      },
      select: { runId: true, key: true, iteration: true, costUsd: true },
    });
    await recordRunEvent(
      { runId: task.runId, type: `task.${options.status}`, payload: { taskKey: task.key, iteration: task.iteration, costUsd: task.costUsd.toString(), reason: options.reason ?? null } },
      tx,
    );
  });
}
