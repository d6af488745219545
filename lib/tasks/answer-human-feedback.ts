import type { SessionOutcome } from "../agents/session-outcome";
import { db } from "../db";
import { replyOnPullRequest } from "../github/reply-on-pull-request";
import { recordRunEvent } from "../runs/record-run-event";
import { runPageUrl } from "../runs/to-run-dto";
import type { HumanFeedback } from "./load-human-feedback";
import type { WorkContext } from "./load-work-context";

/** Replies on the PR with what the fixer did (or why it could not), and marks the feedback handled. */
export async function answerHumanFeedback(options: {
  context: WorkContext;
  feedback: HumanFeedback;
  outcome: SessionOutcome;
  testResult?: "passed" | "failed" | "not_run";
}) {
  const { context, feedback, outcome } = options;
  const isDone = outcome.stopReason === "finished";
  const summary = isDone ? ((outcome.result as { summary?: string } | null)?.summary ?? "Done.") : `I could not finish: ${outcome.stopReason}${outcome.error ? ` (${outcome.error})` : ""}.`;
  const body = [
    `@${feedback.author} ${isDone ? "I pushed changes for your feedback." : "I tried to address your feedback."}`,
    "",
    summary,
    "",
    ...(options.testResult ? [`Tests after the change: **${options.testResult.replace("_", " ")}**.`, ""] : []),
    `Cost of this change: $${Number(outcome.costUsd).toFixed(4)} · [run](${runPageUrl(context.run.id)})`,
  ].join("\n");
  const reply = await replyOnPullRequest({ owner: context.repository.owner, repo: context.repository.name, number: feedback.number, key: feedback.key, body });
  await db.$transaction(async (tx) => {
    if (feedback.key.startsWith("review-")) {
      await tx.review.updateMany({ where: { githubReviewId: BigInt(feedback.key.slice("review-".length)) }, data: { handledAt: new Date() } });
    }
    if (reply.isCreated) {
      await recordRunEvent({ runId: context.run.id, type: "review.addressed", payload: { taskKey: context.task!.key, author: feedback.author, isDone, url: reply.url, costUsd: outcome.costUsd } }, tx);
    }
  });
  return { isDone, url: reply.url };
}
