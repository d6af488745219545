// Stores a trusted human's review of a factory PR, so the address-review workflow can
// load it and mark it handled. Keyed by GitHub's review id: a redelivery changes nothing.
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";

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
