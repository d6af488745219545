// GitHub webhook payloads: the fields the factory reads, and their translation into factory events.
import { z } from "zod";
import { githubCheckSuiteCompleted, githubIssueCommentCreated, githubReviewSubmitted } from "@/lib/events";
import { getFactoryLogin, hasAnyFactoryMarker, isFactoryAuthored } from "./factory-identity";
import type { RecordPullRequestClosedInput } from "./handle-webhook";
import { findFactoryPullRequest } from "./pull-requests";
import type { HumanReviewInput } from "./reviews";

// Zod schemas for the webhook payload fields the factory reads (GitHub sends far more;
// unknown fields pass through untouched). A delivery missing one of these gets a 400.
const repository = z.object({
  full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  name: z.string(),
  owner: z.object({ login: z.string() }),
});

const user = z.object({ login: z.string() }).nullable();

const pullRequest = z.object({
  number: z.number().int().positive(),
  head: z.object({ ref: z.string(), sha: z.string() }),
  merged: z.boolean().nullish(),
  merge_commit_sha: z.string().nullish(),
  merged_at: z.string().nullish(),
  closed_at: z.string().nullish(),
});

export const envelopeSchema = z.object({ action: z.string().optional(), repository: repository.optional() });

const reviewPayloadSchema = z.object({
  action: z.string(),
  repository,
  pull_request: pullRequest,
  review: z.object({
    id: z.number().int(),
    state: z.string(),
    body: z.string().nullable(),
    user,
    author_association: z.string(),
    submitted_at: z.string().nullish(),
  }),
});

const issueCommentPayloadSchema = z.object({
  action: z.string(),
  repository,
  issue: z.object({ number: z.number().int().positive(), pull_request: z.object({ url: z.string() }).nullish() }),
  comment: z.object({ id: z.number().int(), body: z.string(), user, author_association: z.string() }),
});

const checkSuitePayloadSchema = z.object({
  action: z.string(),
  repository,
  check_suite: z.object({ head_sha: z.string(), head_branch: z.string().nullable(), conclusion: z.string().nullable() }),
});

const pullRequestPayloadSchema = z.object({ action: z.string(), repository, pull_request: pullRequest });

export type WebhookRepository = z.infer<typeof repository>;

// Decides what a verified GitHub delivery means for the factory: typed Inngest events to
// send, or a reason to ignore it. Reads the database only to tell factory PRs apart.
export type WebhookEvent = { id: string; name: string; data: Record<string, unknown> };

export type WebhookDecision =
  | {
      outcome: "accepted";
      events: WebhookEvent[];
      closure?: RecordPullRequestClosedInput;
      humanReview?: HumanReviewInput;
      /** What the signed body is about ("review-<id>", ...): the same body under a new delivery id is a replay. */
      subjectKey?: string;
    }
  | { outcome: "ignored"; reason: string };

/** Only people with write access steer the factory (DESIGN.md, security rules). */
const trustedAssociations = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

const ignore = (reason: string): WebhookDecision => ({ outcome: "ignored", reason });

export async function translateWebhook(input: { event: string; deliveryId: string; payload: unknown }): Promise<WebhookDecision> {
  const { event, deliveryId, payload } = input;
  const accept = async (
    created: { name: string; data: Record<string, unknown>; validate(): Promise<void> },
    options: { closure?: RecordPullRequestClosedInput; subjectKey?: string } = {},
  ): Promise<Extract<WebhookDecision, { outcome: "accepted" }>> => {
    await created.validate();
    // Keyed by the subject when there is one, so the engine too drops a replayed body.
    const eventId = `github-${options.subjectKey ?? deliveryId}`;
    return { outcome: "accepted", events: [{ id: eventId, name: created.name, data: created.data }], ...options };
  };

  switch (event) {
    case "pull_request_review": {
      const p = reviewPayloadSchema.parse(payload);
      if (p.action !== "submitted") return ignore(`action ${p.action} not handled`);
      const pr = await factoryPr(p.repository, p.pull_request.number);
      if (!pr) return ignore("not a factory pull request");
      if (await isFactoryWriting(p.repository, p.review)) return ignore("the factory's own review");
      const author = authorOf(p.review.user, p.review.author_association);
      if (!author.isTrusted) return ignore(untrusted(author));
      const submitted = await accept(githubReviewSubmitted.create({
        ...prRef(deliveryId, p.repository, pr), reviewId: p.review.id, state: p.review.state.toLowerCase(), ...author,
      }), { subjectKey: `review-${p.review.id}` });
      const humanReview = { pullRequestId: pr.id, githubReviewId: p.review.id, author: author.author, authorAssociation: author.authorAssociation, state: p.review.state, body: p.review.body };
      return { ...submitted, humanReview };
    }
    // An inline comment always belongs to a review, and GitHub sends pull_request_review.submitted
    // for it too: address-review answers the review as a whole.
    case "pull_request_review_comment":
      return ignore("answered through its review (pull_request_review.submitted)");
    case "issue_comment": {
      const p = issueCommentPayloadSchema.parse(payload);
      if (p.action !== "created") return ignore(`action ${p.action} not handled`);
      if (!p.issue.pull_request) return ignore("comment on an issue, not a pull request");
      const pr = await factoryPr(p.repository, p.issue.number);
      if (!pr) return ignore("not a factory pull request");
      if (await isFactoryWriting(p.repository, p.comment)) return ignore("the factory's own comment");
      const author = authorOf(p.comment.user, p.comment.author_association);
      if (!author.isTrusted) return ignore(untrusted(author));
      return accept(githubIssueCommentCreated.create({ ...prRef(deliveryId, p.repository, pr), commentId: p.comment.id, ...author }), { subjectKey: `comment-${p.comment.id}` });
    }
    case "check_suite": {
      const p = checkSuitePayloadSchema.parse(payload);
      if (p.action !== "completed") return ignore(`action ${p.action} not handled`);
      const { head_sha: headSha, head_branch: headBranch } = p.check_suite;
      const pr = await findFactoryPullRequest({ owner: p.repository.owner.login, repo: p.repository.name, headBranch, headSha });
      if (!pr) return ignore("not a factory branch");
      return accept(githubCheckSuiteCompleted.create({
        deliveryId, repository: p.repository.full_name, headSha, headBranch: headBranch ?? pr.headBranch, conclusion: p.check_suite.conclusion,
      }));
    }
    // CI waits for the whole suite (check_suite.completed); single check runs change nothing.
    case "check_run":
      return ignore("CI is read per check suite (check_suite.completed)");
    case "pull_request": {
      const p = pullRequestPayloadSchema.parse(payload);
      if (p.action !== "closed") return ignore(`action ${p.action} not handled`);
      const pr = await factoryPr(p.repository, p.pull_request.number);
      if (!pr) return ignore("not a factory pull request");
      const isMerged = p.pull_request.merged === true;
      const closedAt = p.pull_request.merged_at ?? p.pull_request.closed_at;
      // Recorded here (the merge and its cost); no workflow waits on a closed pull request.
      return {
        outcome: "accepted",
        events: [],
        closure: { owner: p.repository.owner.login, repo: p.repository.name, number: pr.number, isMerged, closedAt: closedAt ? new Date(closedAt) : undefined, mergeCommitSha: p.pull_request.merge_commit_sha },
      };
    }
    default:
      return ignore(`event ${event} not handled`);
  }
}

/**
 * The factory's own review or comment coming back: it carries a factory marker AND its author is
 * the factory's login. A human pasting the marker is still a human (and still gets an answer).
 */
async function isFactoryWriting(repository: WebhookRepository, item: { body: string | null; user: { login: string } | null }): Promise<boolean> {
  if (!hasAnyFactoryMarker(item.body)) return false;
  const factoryLogin = await getFactoryLogin({ owner: repository.owner.login, repo: repository.name });
  return isFactoryAuthored(item, factoryLogin);
}

function factoryPr(repository: WebhookRepository, number: number) {
  return findFactoryPullRequest({ owner: repository.owner.login, repo: repository.name, number });
}

function prRef(deliveryId: string, repository: WebhookRepository, pr: { number: number; headBranch: string }) {
  return { deliveryId, repository: repository.full_name, pullRequestNumber: pr.number, headBranch: pr.headBranch };
}

function authorOf(user: { login: string } | null, association: string) {
  return { author: user?.login ?? "ghost", authorAssociation: association, isTrusted: trustedAssociations.has(association) };
}

function untrusted(author: { author: string; authorAssociation: string }): string {
  return `author ${author.author} (${author.authorAssociation}) has no write access`;
}
