// The inline comments of one review (e.g. a human's), for the fixer to address.
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
