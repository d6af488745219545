import { db } from "../db";
import { buildBranchName } from "../git";
import { recordRunEvent } from "../runs/record-run-event";

/** Marks a task running on its factory branch. Safe to repeat: a retried step changes nothing new. */
export async function beginTask(options: { taskId: string }): Promise<{ branch: string }> {
  return db.$transaction(async (tx) => {
    const task = await tx.task.findUniqueOrThrow({ where: { id: options.taskId }, select: { runId: true, key: true, branch: true, status: true } });
    const branch = task.branch ?? buildBranchName({ runId: task.runId, taskKey: task.key });
    if (task.status === "pending") {
      await tx.task.update({ where: { id: options.taskId }, data: { status: "running", branch, startedAt: new Date() } });
      await recordRunEvent({ runId: task.runId, type: "task.started", payload: { taskKey: task.key, branch } }, tx);
    }
    return { branch };
  });
}
