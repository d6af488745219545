// Zod schemas for the webhook payload fields the factory reads (GitHub sends far more;
// unknown fields pass through untouched). A delivery missing one of these gets a 400.
import { z } from "zod";

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

export const reviewPayloadSchema = z.object({
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

export const issueCommentPayloadSchema = z.object({
  action: z.string(),
  repository,
  issue: z.object({ number: z.number().int().positive(), pull_request: z.object({ url: z.string() }).nullish() }),
  comment: z.object({ id: z.number().int(), body: z.string(), user, author_association: z.string() }),
});

export const checkSuitePayloadSchema = z.object({
  action: z.string(),
  repository,
  check_suite: z.object({ head_sha: z.string(), head_branch: z.string().nullable(), conclusion: z.string().nullable() }),
});

export const pullRequestPayloadSchema = z.object({ action: z.string(), repository, pull_request: pullRequest });

export type WebhookRepository = z.infer<typeof repository>;
