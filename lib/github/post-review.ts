// Posts the reviewer's verdict as a real GitHub review with inline comments. Comments on
// lines outside the diff (GitHub would reject the whole review) go into the body instead.
// A hidden marker per review key makes a re-run return the review already posted.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { findCommentableLines } from "./find-commentable-lines";
import { hasHiddenMarker, hiddenMarker } from "./hidden-marker";
import { hasGitHubStatus, toGitHubError } from "./to-github-error";

export type ReviewComment = { path: string; line: number; body: string };

export type PostReviewInput = RepoRef & {
  number: number;
  /** Unique per review the factory means to post, e.g. `${runId}-${taskKey}-iter${n}`. */
  key: string;
  verdict: "approve" | "request_changes";
  summary: string;
  comments: ReviewComment[];
  /** Review this commit (default: the PR's head). */
  commitId?: string;
};

export type PostedReview = {
  id: number;
  url: string;
  /** GitHub's state: APPROVED | CHANGES_REQUESTED | COMMENTED. */
  state: string;
  inlineComments: ReviewComment[];
  bodyComments: ReviewComment[];
  isCreated: boolean;
};

export async function postReview(input: PostReviewInput): Promise<PostedReview> {
  const client = await getGitHubClient(input);
  const { owner, repo, number } = input;
  const pr = { owner, repo, pull_number: number };
  const marker = hiddenMarker("review", input.key);
  try {
    const existing = (await client.paginate(client.rest.pulls.listReviews, { ...pr, per_page: 100 })).find((r) => hasHiddenMarker(r.body, marker));
    const files = await client.paginate(client.rest.pulls.listFiles, { ...pr, per_page: 100 });
    const commentable = findCommentableLines(files);
    const inlineComments = input.comments.filter((c) => commentable.get(c.path)?.has(c.line));
    const bodyComments = input.comments.filter((c) => !commentable.get(c.path)?.has(c.line));
    if (existing) {
      return { id: existing.id, url: existing.html_url, state: existing.state, inlineComments, bodyComments, isCreated: false };
    }
    const event = input.verdict === "approve" ? "APPROVE" : "REQUEST_CHANGES";
    const create = (reviewEvent: "APPROVE" | "REQUEST_CHANGES" | "COMMENT") =>
      client.rest.pulls.createReview({
        ...pr,
        ...(input.commitId ? { commit_id: input.commitId } : {}),
        event: reviewEvent,
        body: renderReviewBody(input, bodyComments, marker, reviewEvent !== event),
        // Marked too, so their pull_request_review_comment webhooks are known as the factory's own.
        comments: inlineComments.map((c) => ({ path: c.path, line: c.line, side: "RIGHT", body: `${c.body}\n\n${marker}` })),
      });
    let created;
    try {
      created = await create(event);
    } catch (error) {
      // GitHub forbids approving or requesting changes on your own PR, and the factory
      // authors its PRs. Then the verdict is posted as a comment review that states it.
      if (!hasGitHubStatus(error, 422) || !/own pull request/i.test(JSON.stringify(error.response?.data ?? ""))) throw error;
      created = await create("COMMENT");
    }
    return { id: created.data.id, url: created.data.html_url, state: created.data.state, inlineComments, bodyComments, isCreated: true };
  } catch (error) {
    throw toGitHubError(error, `post a review on PR #${number} in ${owner}/${repo}`);
  }
}

function renderReviewBody(input: PostReviewInput, bodyComments: ReviewComment[], marker: string, isVerdictInBody: boolean): string {
  const verdict = input.verdict === "approve" ? "✅ **Approve**" : "❌ **Request changes**";
  const outside = bodyComments.length
    ? ["", "### Comments outside the diff", ...bodyComments.map((c) => `- \`${c.path}:${c.line}\`: ${c.body}`)]
    : [];
  return [
    marker,
    isVerdictInBody ? `Factory reviewer verdict: ${verdict}` : `Factory reviewer: ${verdict}`,
    "",
    input.summary.trim(),
    ...outside,
  ].join("\n");
}
