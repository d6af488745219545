import { db } from "../db";
import { upsertStatusComment } from "../github/upsert-status-comment";
import { runPageUrl } from "../runs/to-run-dto";
import type { TaskContext } from "./load-work-context";

/** Refreshes the PR's sticky status comment: iteration, tests, review verdict and cost so far. */
export async function updateTaskStatusComment(options: {
  context: TaskContext;
  iteration: number;
  testResult: "passed" | "failed" | "not_run";
  verdict: "approve" | "request_changes" | "pending";
  note?: string;
}) {
  const task = await db.task.findUniqueOrThrow({ where: { id: options.context.task.id }, select: { costUsd: true, pullRequest: { select: { id: true, number: true } } } });
  if (!task.pullRequest) return;
  await upsertStatusComment({
    owner: options.context.repository.owner,
    repo: options.context.repository.name,
    number: task.pullRequest.number,
    pullRequestId: task.pullRequest.id,
    status: {
      iteration: options.iteration,
      maxIterations: options.context.run.maxIterations,
      testResult: options.testResult,
      verdict: options.verdict,
      costUsd: task.costUsd.toNumber(),
      runUrl: runPageUrl(options.context.run.id),
      note: options.note,
    },
  });
}
