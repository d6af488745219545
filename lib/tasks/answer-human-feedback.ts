// The one reply to a human's review or comment: what changed, whether the tests pass, what the
// re-review said, and what this follow-up cost against its own budget. Then the follow-up ends
// with that outcome, and a review is marked handled.
import type { SessionOutcome } from "../agents/session-outcome";
import { db } from "../db";
import { replyOnPullRequest } from "../github/pull-requests";
import { formatUsd } from "../money";
import { describeNoTestCommand } from "../repositories/repository-profile-schema";
import { recordRunEvent } from "../runs/record-run-event";
import { runPageUrl } from "../runs/to-run-dto";
import { finishFollowUp, type FinalFollowUpStatus } from "./follow-up";

export type FollowUpResults = {
  followUpId: string;
  fixer: SessionOutcome;
  /** Null when the fixer did not finish, so nothing was tested. */
  testResult: "passed" | "failed" | "not_run" | null;
  /** The re-review session; null when the fixer did not finish. */
  reviewer: SessionOutcome | null;
  /** The re-review as posted on the PR. */
  review: { verdict: "approve" | "request_changes"; url: string } | null;
};

/** The follow-up's outcome from its sessions, with a readable reason when it did not succeed. */
export function decideFollowUpOutcome(results: Omit<FollowUpResults, "followUpId">): { status: FinalFollowUpStatus; reason?: string } {
  const stopped = (outcome: SessionOutcome) => `${outcome.stopReason ?? outcome.status}${outcome.error ? ` (${outcome.error})` : ""}`;
  if (results.fixer.stopReason === "budget_exhausted") return { status: "budget_exhausted", reason: `The follow-up budget ran out during the fixer session: ${results.fixer.error ?? "the next call did not fit"}.` };
  if (results.fixer.stopReason !== "finished") return { status: "failed", reason: `The fixer stopped: ${stopped(results.fixer)}.` };
  if (results.reviewer?.stopReason === "budget_exhausted") return { status: "budget_exhausted", reason: `The follow-up budget ran out during the re-review: ${results.reviewer.error ?? "the next call did not fit"}.` };
  if (!results.reviewer || results.reviewer.stopReason !== "submitted" || !results.review) {
    return { status: "failed", reason: `The re-review did not complete${results.reviewer ? `: ${stopped(results.reviewer)}` : ""}.` };
  }
  return { status: "succeeded" };
}

export async function answerHumanFeedback(results: FollowUpResults) {
  const followUp = await db.followUp.findUniqueOrThrow({
    where: { id: results.followUpId },
    select: {
      id: true, runId: true, sourceKey: true, author: true, budgetUsd: true, spentUsd: true,
      task: { select: { key: true } },
      pullRequest: { select: { number: true, repository: { select: { owner: true, name: true } } } },
    },
  });
  const outcome = decideFollowUpOutcome(results);
  const fixerSummary = (results.fixer.result as { summary?: string } | null)?.summary;
  const isFixed = results.fixer.stopReason === "finished";
  const verdictText = results.review ? (results.review.verdict === "approve" ? "✅ approve" : "❌ request changes") : null;
  const body = [
    isFixed ? `@${followUp.author} I pushed changes for your ${followUp.sourceKey.startsWith("review-") ? "review" : "comment"}.` : `@${followUp.author} I could not finish addressing your feedback.`,
    "",
    isFixed ? (fixerSummary ?? "Done.") : (outcome.reason ?? ""),
    "",
    ...(results.testResult === "not_run" ? [`${describeNoTestCommand()}.`] : results.testResult ? [`Tests after the change: **${results.testResult}**.`] : []),
    ...(verdictText ? [`Re-review: **${verdictText}** ([review](${results.review!.url})).`] : []),
    ...(isFixed && outcome.status !== "succeeded" && outcome.reason ? [outcome.reason] : []),
    "",
    `Cost of this follow-up: ${formatUsd(followUp.spentUsd.toNumber())} of its ${formatUsd(followUp.budgetUsd.toNumber())} budget (not taken from the run's budget) · [run](${runPageUrl(followUp.runId)})`,
  ].join("\n");
  const reply = await replyOnPullRequest({
    owner: followUp.pullRequest.repository.owner,
    repo: followUp.pullRequest.repository.name,
    number: followUp.pullRequest.number,
    key: followUp.sourceKey,
    body,
  });
  await finishFollowUp({
    followUpId: followUp.id,
    status: outcome.status,
    reason: outcome.reason,
    testOutcome: results.testResult,
    reviewVerdict: results.review?.verdict ?? null,
    replyUrl: reply.url,
  });
  await db.$transaction(async (tx) => {
    if (followUp.sourceKey.startsWith("review-")) {
      await tx.review.updateMany({ where: { githubReviewId: BigInt(followUp.sourceKey.slice("review-".length)), handledAt: null }, data: { handledAt: new Date() } });
    }
    if (reply.isCreated) {
      await recordRunEvent({
        runId: followUp.runId,
        type: "review.addressed",
        payload: { taskKey: followUp.task.key, followUpId: followUp.id, author: followUp.author, isDone: outcome.status === "succeeded", url: reply.url, costUsd: followUp.spentUsd.toFixed(6), budgetUsd: followUp.budgetUsd.toFixed(2) },
      }, tx);
    }
  });
  return { status: outcome.status, reason: outcome.reason ?? null, replyUrl: reply.url, costUsd: followUp.spentUsd.toFixed(6) };
}
