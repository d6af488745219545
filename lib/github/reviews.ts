// Pull request reviews: posting the factory's, reading a human's, and commentable lines.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getGitHubClient, type RepoRef } from "./app-auth";
import { getFactoryLogin, isSameLogin, hiddenMarker, isOwnMarked } from "./factory-identity";
import { toGitHubError } from "./github-client";

// Which lines of a PR can carry an inline review comment: GitHub accepts a comment only on
// a line inside a diff hunk, addressed by its number in the new file (side RIGHT).

export type PullFilePatch = { filename: string; patch?: string | null };

/** path -> new-file line numbers that appear in the PR's hunks (added or context lines). */
export function findCommentableLines(files: PullFilePatch[]): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  for (const file of files) {
    const lines = new Set<number>();
    let next = 0;
    let isInHunk = false;
    for (const text of (file.patch ?? "").split("\n")) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
      if (header) {
        next = Number(header[1]);
        isInHunk = true;
        continue;
      }
      // "-" lines exist only in the old file; "\ No newline at end of file" is no line at all.
      if (!isInHunk || text.startsWith("-") || text.startsWith("\\")) continue;
      lines.add(next);
      next += 1;
    }
    result.set(file.filename, lines);
  }
  return result;
}

// One review on a PR (e.g. a human's) and its inline comments, read from GitHub: the source of
// truth for what the reviewer asked, whatever a webhook or the database says.
export type ReviewCommentInfo = {
  id: number;
  path: string;
  line: number | null;
  body: string;
  author: string | null;
  authorAssociation: string;
  diffHunk: string;
};

export type ReviewInfo = {
  id: number;
  author: string | null;
  /** GitHub's state: APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING. */
  state: string;
  body: string;
};

/** The review with this id on this PR. A review GitHub does not know is a not_found AppError, never retried. */
export async function readReview(input: RepoRef & { number: number; reviewId: number }): Promise<ReviewInfo> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.pulls.getReview({ owner: input.owner, repo: input.repo, pull_number: input.number, review_id: input.reviewId });
    return { id: data.id, author: data.user?.login ?? null, state: data.state, body: data.body ?? "" };
  } catch (error) {
    throw toGitHubError(error, `read review ${input.reviewId} on PR #${input.number} in ${input.owner}/${input.repo}`);
  }
}

export async function listReviewComments(input: RepoRef & { number: number; reviewId: number }): Promise<ReviewCommentInfo[]> {
  const client = await getGitHubClient(input);
  try {
    const comments = await client.paginate(client.rest.pulls.listCommentsForReview, {
      owner: input.owner, repo: input.repo, pull_number: input.number, review_id: input.reviewId, per_page: 100,
    });
    return comments.map((c) => ({
      id: c.id,
      path: c.path,
      line: c.line ?? c.original_line ?? null,
      body: c.body,
      author: c.user?.login ?? null,
      authorAssociation: c.author_association,
      diffHunk: c.diff_hunk,
    }));
  } catch (error) {
    throw toGitHubError(error, `list the comments of review ${input.reviewId} on PR #${input.number} in ${input.owner}/${input.repo}`);
  }
}

// Posts the reviewer's verdict as a real GitHub review with inline comments. Comments on
// lines outside the diff (GitHub would reject the whole review) go into the body instead.
// A hidden marker per review key (on a review the factory wrote) makes a re-run return the
// review already posted. GitHub refuses APPROVE and REQUEST_CHANGES on your own PR with a 422,
// so the event is chosen up front from the PR's author: no request is wasted on a refusal.
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

// Stores a trusted human's review of a factory PR, so the address-review workflow can
// load it and mark it handled. Keyed by GitHub's review id: a redelivery changes nothing.
export type HumanReviewInput = {
  pullRequestId: string;
  githubReviewId: number;
  author: string;
  authorAssociation: string;
  /** GitHub's state: approved | changes_requested | commented */
  state: string;
  body: string | null;
};

const verdicts = { approved: "approve", changes_requested: "request_changes", commented: "comment" } as const;

export async function recordHumanReview(input: HumanReviewInput): Promise<void> {
  const verdict = verdicts[input.state.toLowerCase() as keyof typeof verdicts] ?? "comment";
  await saveReviewOnce({
    pullRequestId: input.pullRequestId,
    source: "human",
    githubReviewId: input.githubReviewId,
    author: input.author,
    authorAssociation: input.authorAssociation,
    verdict,
    body: (input.body ?? "").slice(0, 65_536),
  });
}

/** Stores a review once, keyed by GitHub's review id: a redelivery or a retried step changes nothing. */
export async function saveReviewOnce(
  review: Omit<Prisma.ReviewUncheckedCreateInput, "githubReviewId"> & { githubReviewId: number },
  client: Prisma.TransactionClient = db,
): Promise<void> {
  const githubReviewId = BigInt(review.githubReviewId);
  await client.review.upsert({ where: { githubReviewId }, create: { ...review, githubReviewId }, update: {} });
}
