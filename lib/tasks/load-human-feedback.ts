// What a trusted human asked for on a factory PR: a review (body and inline comments) or a
// PR comment. It reaches the fixer as untrusted data, never as instructions to the factory.
import { db } from "../db";
import { getGitHubClient } from "../github/get-github-client";
import { listReviewComments } from "../github/list-review-comments";

export type HumanFeedback = {
  runId: string;
  taskId: string;
  pullRequestId: string;
  number: number;
  key: string;
  author: string;
  text: string;
};

export async function loadHumanFeedback(options: {
  repository: string;
  pullRequestNumber: number;
  author: string;
  source: { kind: "review"; reviewId: number } | { kind: "comment"; commentId: number };
}): Promise<HumanFeedback | null> {
  const [owner, repo] = options.repository.split("/");
  const pullRequest = await db.pullRequest.findFirst({
    where: { number: options.pullRequestNumber, repository: { owner, name: repo } },
    select: { id: true, number: true, runId: true, taskId: true, state: true },
  });
  if (!pullRequest?.taskId || pullRequest.state === "merged" || pullRequest.state === "closed") return null;

  let text: string;
  if (options.source.kind === "review") {
    const review = await db.review.findUnique({ where: { githubReviewId: BigInt(options.source.reviewId) }, select: { body: true, handledAt: true } });
    if (review?.handledAt) return null;
    const comments = await listReviewComments({ owner, repo, number: pullRequest.number, reviewId: options.source.reviewId });
    text = [review?.body ?? "", ...comments.map((c) => `${c.path}${c.line ? `:${c.line}` : ""}: ${c.body}`)].filter(Boolean).join("\n");
  } else {
    const client = await getGitHubClient({ owner, repo });
    const { data } = await client.rest.issues.getComment({ owner, repo, comment_id: options.source.commentId });
    text = data.body ?? "";
  }
  if (!text.trim()) return null;
  const key = options.source.kind === "review" ? `review-${options.source.reviewId}` : `comment-${options.source.commentId}`;
  return { runId: pullRequest.runId, taskId: pullRequest.taskId, pullRequestId: pullRequest.id, number: pullRequest.number, key, author: options.author, text };
}
