// Posts the reviewer's verdict as a real GitHub review with inline comments. Comments on
// lines outside the diff (GitHub would reject the whole review) go into the body instead.
// A hidden marker per review key (on a review the factory wrote) makes a re-run return the
// review already posted. GitHub refuses APPROVE and REQUEST_CHANGES on your own PR with a 422,
// so the event is chosen up front from the PR's author: no request is wasted on a refusal.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { findCommentableLines } from "./find-commentable-lines";
import { getFactoryLogin, isSameLogin } from "./factory-identity";
import { hiddenMarker, isOwnMarked } from "./hidden-marker";
import { toGitHubError } from "./to-github-error";

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
    const factoryLogin = await getFactoryLogin(input);
    const existing = (await client.paginate(client.rest.pulls.listReviews, { ...pr, per_page: 100 })).find((r) => isOwnMarked(r, marker, factoryLogin));
    const files = await client.paginate(client.rest.pulls.listFiles, { ...pr, per_page: 100 });
    const commentable = findCommentableLines(files);
    const inlineComments = input.comments.filter((c) => commentable.get(c.path)?.has(c.line));
    const bodyComments = input.comments.filter((c) => !commentable.get(c.path)?.has(c.line));
    if (existing) {
      return { id: existing.id, url: existing.html_url, state: existing.state, inlineComments, bodyComments, isCreated: false };
    }
    const { data: pull } = await client.rest.pulls.get(pr);
    // The factory usually authors its PRs, and then its verdict goes in a COMMENT review's body.
    const isOwnPullRequest = isSameLogin(pull.user, factoryLogin);
    const event = isOwnPullRequest ? "COMMENT" : input.verdict === "approve" ? "APPROVE" : "REQUEST_CHANGES";
    const { data: created } = await client.rest.pulls.createReview({
      ...pr,
      ...(input.commitId ? { commit_id: input.commitId } : {}),
      event,
      body: renderReviewBody(input, bodyComments, marker, isOwnPullRequest),
      // Marked too, so their pull_request_review_comment webhooks are known as the factory's own.
      comments: inlineComments.map((c) => ({ path: c.path, line: c.line, side: "RIGHT", body: `${c.body}\n\n${marker}` })),
    });
    return { id: created.id, url: created.html_url, state: created.state, inlineComments, bodyComments, isCreated: true };
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
