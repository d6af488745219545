// Stores a trusted human's review of a factory PR, so the address-review workflow can
// load it and mark it handled. Keyed by GitHub's review id: a redelivery changes nothing.
import { db } from "../db";

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
  await db.review.upsert({
    where: { githubReviewId: BigInt(input.githubReviewId) },
    create: {
      pullRequestId: input.pullRequestId,
      source: "human",
      githubReviewId: BigInt(input.githubReviewId),
      author: input.author,
      authorAssociation: input.authorAssociation,
      verdict,
      body: (input.body ?? "").slice(0, 65_536),
    },
    update: {},
  });
}
