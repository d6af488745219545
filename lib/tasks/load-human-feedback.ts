// What a trusted human asked for on a factory PR: a review (body and inline comments) or a
// PR comment, read from GitHub itself (not from the webhook or the database). It reaches the
// fixer as untrusted data, never as instructions to the factory.
import { db } from "../db";
import { AppError } from "../errors";
import { getGitHubClient } from "../github/get-github-client";
import { listReviewComments, readReview } from "../github/list-review-comments";
import { toGitHubError } from "../github/to-github-error";

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
