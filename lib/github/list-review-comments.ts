// One review on a PR (e.g. a human's) and its inline comments, read from GitHub: the source of
// truth for what the reviewer asked, whatever a webhook or the database says.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

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
