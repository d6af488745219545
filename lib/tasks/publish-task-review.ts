import type { SubmitReviewResult } from "../agents/terminal-tools";
import { db } from "../db";
import { postReview } from "../github/post-review";
import { saveReviewOnce } from "../github/record-human-review";
import { recordRunEvent } from "../runs/record-run-event";
import type { TaskContext } from "./load-work-context";

/** Posts the reviewer's verdict as a GitHub review on the task's PR and records it. Idempotent per iteration. */
export async function publishTaskReview(options: { context: TaskContext; iteration: number; review: SubmitReviewResult; sessionId: string }) {
  const { context, iteration, review } = options;
  const task = context.task;
  const pullRequest = await db.pullRequest.findUniqueOrThrow({ where: { taskId: task.id }, select: { id: true, number: true } });
  const posted = await postReview({
    owner: context.repository.owner,
    repo: context.repository.name,
    number: pullRequest.number,
    key: `${context.run.id}-${task.key}-iter${iteration}`,
    verdict: review.verdict,
    summary: review.summary,
    comments: review.comments,
  });
  await db.$transaction(async (tx) => {
    await saveReviewOnce(
      {
        pullRequestId: pullRequest.id,
        source: "factory",
        githubReviewId: posted.id,
        verdict: review.verdict,
        body: review.summary,
        comments: review.comments,
        iteration,
        sessionId: options.sessionId,
      },
      tx,
    );
    if (posted.isCreated) {
      await recordRunEvent(
        { runId: context.run.id, type: "review.posted", payload: { taskKey: task.key, iteration, verdict: review.verdict, url: posted.url, comments: review.comments.length } },
        tx,
      );
    }
  });
  return { verdict: review.verdict, url: posted.url };
}
