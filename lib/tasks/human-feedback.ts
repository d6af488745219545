// Human feedback on a factory PR: reading it from GitHub and answering it.
import type { SessionOutcome } from "@/lib/agents/agent-session";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getGitHubClient } from "@/lib/github/app-auth";
import { toGitHubError } from "@/lib/github/github-client";
import { replyOnPullRequest } from "@/lib/github/pull-requests";
import { listReviewComments, readReview } from "@/lib/github/reviews";
import { formatUsd } from "@/lib/money";
import { describeNoTestCommand } from "@/lib/repositories/repository-profile-schema";
import { recordRunEvent } from "@/lib/runs/run-events";
import { runPageUrl } from "@/lib/runs/to-run-dto";
import { finishFollowUp, type FinalFollowUpStatus } from "./follow-up";

// What a trusted human asked for on a factory PR: a review (body and inline comments) or a
// PR comment, read from GitHub itself (not from the webhook or the database). It reaches the
// fixer as untrusted data, never as instructions to the factory.
export type FeedbackSource = { kind: "review"; reviewId: number } | { kind: "comment"; commentId: number };

export type HumanFeedback = {
  runId: string;
  taskId: string;
  pullRequestId: string;
  number: number;
  /** "review-<id>" or "comment-<id>": FollowUp.sourceKey. */
  key: string;
  author: string;
  text: string;
};

/** Why there is nothing to answer; not an error. */
export type NoFeedback = { skipped: string };

/** Feedback longer than this is cut: the fixer's first message must stay a bounded prompt. */
const maxFeedbackChars = 30_000;

/** Review states the factory answers: a request for changes, or a review with comments. */
const answeredReviewStates = new Set(["CHANGES_REQUESTED", "COMMENTED"]);

export function feedbackSourceKey(source: FeedbackSource): string {
  return source.kind === "review" ? `review-${source.reviewId}` : `comment-${source.commentId}`;
}

/**
 * The feedback, or why there is none (not an open factory PR, not a review the factory answers,
 * or empty). The webhook already left out the factory's own reviews and comments. A review or comment GitHub does not know throws a not_found
 * AppError: retrying cannot make it exist.
 */
export async function loadHumanFeedback(options: { repository: string; pullRequestNumber: number; source: FeedbackSource }): Promise<HumanFeedback | NoFeedback> {
  const [owner, repo] = options.repository.split("/");
  const pullRequest = await db.pullRequest.findFirst({
    where: { number: options.pullRequestNumber, repository: { owner, name: repo } },
    select: { id: true, number: true, runId: true, taskId: true, state: true, task: { select: { branch: true } } },
  });
  if (!pullRequest?.taskId || !pullRequest.task?.branch) return { skipped: "not a factory pull request" };
  if (pullRequest.state === "merged" || pullRequest.state === "closed") return { skipped: `the pull request is ${pullRequest.state}` };

  let author: string | null;
  let parts: string[];
  if (options.source.kind === "review") {
    const ref = { owner, repo, number: pullRequest.number, reviewId: options.source.reviewId };
    const review = await readReview(ref);
    if (!answeredReviewStates.has(review.state.toUpperCase())) return { skipped: `review state ${review.state.toLowerCase()}` };
    const comments = await listReviewComments(ref);
    author = review.author;
    parts = [review.body, ...comments.map((c) => `${c.path}${c.line ? `:${c.line}` : ""}: ${c.body}`)];
  } else {
    const client = await getGitHubClient({ owner, repo });
    const commentId = options.source.commentId;
    const { data } = await client.rest.issues.getComment({ owner, repo, comment_id: commentId }).catch((error: unknown) => {
      throw toGitHubError(error, `read comment ${commentId} in ${owner}/${repo}`);
    });
    // A comment id from another PR of the repository must not steer this one.
    if (!data.issue_url.endsWith(`/issues/${pullRequest.number}`)) throw new AppError("not_found", `Comment ${commentId} is not on PR #${pullRequest.number} in ${owner}/${repo}.`);
    author = data.user?.login ?? null;
    parts = [data.body ?? ""];
  }
  const text = parts.filter((part) => part.trim()).join("\n");
  if (!text.trim()) return { skipped: "empty feedback" };
  if (!author) return { skipped: "the author's account no longer exists" };
  return {
    runId: pullRequest.runId,
    taskId: pullRequest.taskId,
    pullRequestId: pullRequest.id,
    number: pullRequest.number,
    key: feedbackSourceKey(options.source),
    author,
    text: text.length > maxFeedbackChars ? `${text.slice(0, maxFeedbackChars)}\n… (feedback truncated)` : text,
  };
}

// The one reply to a human's review or comment: what changed, whether the tests pass, what the
// re-review said, and what this follow-up cost against its own budget. Then the follow-up ends
// with that outcome, and a review is marked handled.
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
function decideFollowUpOutcome(results: Omit<FollowUpResults, "followUpId">): { status: FinalFollowUpStatus; reason?: string } {
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
