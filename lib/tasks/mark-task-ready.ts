import { db } from "../db";
import { markPullRequestReady } from "../github/pull-requests";
import { recordRunEvent } from "../runs/record-run-event";
import type { TaskContext } from "./load-work-context";

/** Takes the task's PR out of draft once tests pass and the review approves. */
export async function markTaskReady(options: { context: TaskContext }) {
  const task = options.context.task;
  const pullRequest = await db.pullRequest.findUniqueOrThrow({ where: { taskId: task.id }, select: { id: true, number: true, url: true } });
  const { isChanged } = await markPullRequestReady({ owner: options.context.repository.owner, repo: options.context.repository.name, number: pullRequest.number });
  if (isChanged) {
    await db.$transaction(async (tx) => {
      await tx.pullRequest.update({ where: { id: pullRequest.id }, data: { state: "open" } });
      await recordRunEvent({ runId: options.context.run.id, type: "pull_request.ready", payload: { taskKey: task.key, number: pullRequest.number, url: pullRequest.url } }, tx);
    });
  }
}
