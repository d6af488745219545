// Every event the factory sends or receives, each with a zod schema. Functions trigger on
// these objects, so event.data is validated and typed; nothing casts it.
import { eventType } from "inngest";
import { z } from "zod";

const runId = z.string().min(1).max(64);
const repositoryFullName = z.string().regex(/^[\w.-]+\/[\w.-]+$/);
const authorAssociation = z.string(); // OWNER | MEMBER | COLLABORATOR | CONTRIBUTOR | NONE | ...

export const runRequested = eventType("factory/run.requested", {
  schema: z.object({ runId, repository: repositoryFullName }),
});

export const runCancelled = eventType("factory/run.cancelled", {
  schema: z.object({ runId, reason: z.string().max(500).optional() }),
});

export const runFinished = eventType("factory/run.finished", {
  schema: z.object({
    runId,
    status: z.enum(["succeeded", "failed", "cancelled", "budget_exhausted"]),
  }),
});

/** A user asked to work a failed task of an ended run again (lib/tasks/retry-task.ts). */
export const taskRetryRequested = eventType("factory/task.retry.requested", {
  schema: z.object({ runId, taskId: z.string().min(1).max(64) }),
});

/** A branch lease was given up (lib/tasks/task-branch.ts): writers waiting for the branch re-try. */
export const branchReleased = eventType("factory/branch.released", {
  schema: z.object({ key: z.string().min(1).max(600), holder: z.string().min(1).max(200) }),
});

const pullRequestRef = {
  deliveryId: z.string(),
  repository: repositoryFullName,
  pullRequestNumber: z.number().int().positive(),
  headBranch: z.string(),
};

export const githubReviewSubmitted = eventType("github/pull_request_review.submitted", {
  schema: z.object({
    ...pullRequestRef,
    reviewId: z.number().int(),
    state: z.string(), // approved | changes_requested | commented
    author: z.string(),
    authorAssociation,
    isTrusted: z.boolean(),
  }),
});

export const githubIssueCommentCreated = eventType("github/issue_comment.created", {
  schema: z.object({
    ...pullRequestRef,
    commentId: z.number().int(),
    author: z.string(),
    authorAssociation,
    isTrusted: z.boolean(),
  }),
});

export const githubCheckSuiteCompleted = eventType("github/check_suite.completed", {
  schema: z.object({
    deliveryId: z.string(),
    repository: repositoryFullName,
    headSha: z.string(),
    headBranch: z.string().nullable(),
    conclusion: z.string().nullable(),
  }),
});

