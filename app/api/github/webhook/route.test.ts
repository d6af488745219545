// The webhook route end to end: real recorded payloads from @octokit/webhooks-examples,
// signed like GitHub signs them, through the real route into the real inngest.send
// (pointed at a local Event API), with the database checked afterwards.
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { startFakeInngestEventApi } from "@/test/fake-inngest-event-api";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";

type Example = Record<string, any>;
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Example[] }[];
const example = (name: string, action: string, index = 0): Example =>
  structuredClone(examples.find((e) => e.name === name)!.examples.filter((x) => x.action === action)[index]);

const url = "http://factory.test/api/github/webhook";
const branch = "factory/run1-t1";
const headSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
let gh: FakeGitHub;
let inngestEvents: Awaited<ReturnType<typeof startFakeInngestEventApi>>;
let runId: string;

// The Inngest client reads its engine URL when first imported, so the route is imported after
// INNGEST_DEV points at the local Event API, as the app's env would before start-up.
let POST: typeof import("./route").POST;
let handleWebhook: typeof import("@/lib/github/handle-webhook").handleWebhook;

let lastReviewId = 900_000;

/** The recorded payloads are for Codertocat/Hello-World PR #2 on branch "changes"; make it a factory PR. Each review gets its own id. */
function reviewPayload(association = "OWNER", body: string | null = "Please rename the helper.", reviewId = ++lastReviewId) {
  const p = example("pull_request_review", "submitted");
  p.review.id = reviewId;
  p.pull_request.head.ref = branch;
  p.review.author_association = association;
  p.review.state = "changes_requested";
  p.review.body = body;
  return p;
}

async function deliver(event: string, payload: unknown, options: { deliveryId?: string; secret?: string; isSigned?: boolean } = {}) {
  const response = await POST(gh.webhookRequest(url, { event, payload, ...options }));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  inngestEvents = await startFakeInngestEventApi();
  process.env.INNGEST_DEV = inngestEvents.url;
  resetEnvCache();
  gh = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN, webhookSecret: secretCanaries.GITHUB_WEBHOOK_SECRET });
  // The factory asks GitHub who it is, to tell its own reviews from a stranger's.
  process.env.GITHUB_API_URL = gh.apiUrl;
  resetEnvCache();
  ({ POST } = await import("./route"));
  ({ handleWebhook } = await import("@/lib/github/handle-webhook"));
  const repository = await db.repository.create({ data: { owner: "Codertocat", name: "Hello-World" } });
  const run = await db.run.create({ data: { title: "Greeting", spec: "Add a greeting", repositoryId: repository.id, budgetUsd: 10, spentUsd: 3.5 } });
  runId = run.id;
  const task = await db.task.create({ data: { runId, key: "t1", title: "Greeting", description: "d", costUsd: 1.25, branch } });
  await db.pullRequest.create({
    data: { repositoryId: repository.id, runId, taskId: task.id, number: 2, url: "https://github.com/Codertocat/Hello-World/pull/2", headBranch: branch, baseBranch: "main", headSha },
  });
});

afterAll(async () => {
  delete process.env.GITHUB_API_URL;
  await gh?.close();
  await inngestEvents?.close();
  delete process.env.INNGEST_DEV;
  resetEnvCache();
});

beforeEach(() => {
  inngestEvents.events.length = 0;
});

describe("signature", () => {
  it("accepts a validly signed review from a trusted author and sends the typed event", async () => {
    const result = await deliver("pull_request_review", reviewPayload("OWNER", "Please rename the helper.", 237895671), { deliveryId: "d-review-1" });
    expect(result).toEqual({ status: 202, body: { status: "accepted", events: ["github/pull_request_review.submitted"] } });
    expect(inngestEvents.events).toEqual([
      expect.objectContaining({
        // Keyed by the review, so the engine too drops a replayed body.
        id: "github-review-237895671",
        name: "github/pull_request_review.submitted",
        data: expect.objectContaining({ deliveryId: "d-review-1", repository: "Codertocat/Hello-World", pullRequestNumber: 2, headBranch: branch, reviewId: 237895671, state: "changes_requested", author: "Codertocat", authorAssociation: "OWNER", isTrusted: true }),
      }),
    ]);
    expect(await db.webhookDelivery.findUnique({ where: { id: "d-review-1" } })).toMatchObject({ event: "pull_request_review", action: "submitted", outcome: "accepted" });
    expect(await db.review.findUnique({ where: { githubReviewId: 237895671n } })).toMatchObject({ source: "human", verdict: "request_changes", author: "Codertocat", authorAssociation: "OWNER", body: "Please rename the helper." });
  });

  it("answers 401 to a wrong signature and records nothing", async () => {
    const result = await deliver("pull_request_review", reviewPayload(), { deliveryId: "d-wrong-sig", secret: "not-the-secret-at-all" });
    expect(result.status).toBe(401);
    expect(result.body.error.message).toMatch(/Invalid X-Hub-Signature-256/);
    expect(await db.webhookDelivery.count({ where: { id: "d-wrong-sig" } })).toBe(0);
    expect(inngestEvents.events).toHaveLength(0);
  });

  it("answers 401 to a missing signature and records nothing", async () => {
    const result = await deliver("pull_request_review", reviewPayload(), { deliveryId: "d-no-sig", isSigned: false });
    expect(result.status).toBe(401);
    expect(result.body.error.message).toMatch(/Missing X-Hub-Signature-256/);
    expect(await db.webhookDelivery.count({ where: { id: "d-no-sig" } })).toBe(0);
  });

  it("answers 503 with a clear message when no webhook secret is configured", async () => {
    process.env.GITHUB_WEBHOOK_SECRET = "";
    resetEnvCache();
    try {
      const result = await deliver("pull_request_review", reviewPayload(), { deliveryId: "d-no-secret" });
      expect(result.status).toBe(503);
      expect(result.body.error.message).toMatch(/GITHUB_WEBHOOK_SECRET is not set/);
    } finally {
      process.env.GITHUB_WEBHOOK_SECRET = secretCanaries.GITHUB_WEBHOOK_SECRET;
      resetEnvCache();
    }
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    const response = await POST(new Request(url, { method: "POST", headers: signedHeaders("{not json", "d-bad-json"), body: "{not json" }));
    expect(response.status).toBe(400);
    expect(await db.webhookDelivery.count({ where: { id: "d-bad-json" } })).toBe(0);
  });
});

describe("filtering", () => {
  it("answers a replayed delivery id with 200 duplicate and sends nothing again", async () => {
    expect((await deliver("pull_request_review", reviewPayload(), { deliveryId: "d-replay" })).status).toBe(202);
    expect(inngestEvents.events).toHaveLength(1);
    const replay = await deliver("pull_request_review", reviewPayload(), { deliveryId: "d-replay" });
    expect(replay).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(inngestEvents.events).toHaveLength(1);
  });

  it("records and ignores a review by an author without write access", async () => {
    const result = await deliver("pull_request_review", reviewPayload("CONTRIBUTOR"), { deliveryId: "d-untrusted" });
    expect(result).toEqual({ status: 202, body: { status: "ignored", reason: "author Codertocat (CONTRIBUTOR) has no write access" } });
    expect(inngestEvents.events).toHaveLength(0);
    expect((await db.webhookDelivery.findUnique({ where: { id: "d-untrusted" } }))?.outcome).toMatch(/^ignored:author Codertocat \(CONTRIBUTOR\)/);
    expect(await db.review.count({ where: { authorAssociation: "CONTRIBUTOR" } })).toBe(0);
  });

  it("ignores a PR the factory did not open (recorded payload as is: branch 'changes', PR #2 unknown)", async () => {
    const p = reviewPayload();
    p.pull_request.number = 77;
    p.pull_request.head.ref = "changes";
    const result = await deliver("pull_request_review", p, { deliveryId: "d-foreign" });
    expect(result).toEqual({ status: 202, body: { status: "ignored", reason: "not a factory pull request" } });
    expect(inngestEvents.events).toHaveLength(0);
  });

  it("ignores the factory's own review coming back as a webhook", async () => {
    const own = reviewPayload("OWNER", "<!-- dark-factory:review:k1 -->\nLGTM");
    own.review.user.login = gh.login;
    const result = await deliver("pull_request_review", own, { deliveryId: "d-own" });
    expect(result.body).toEqual({ status: "ignored", reason: "the factory's own review" });
  });

  it("a human's review carrying the factory's marker is still a human's review", async () => {
    const result = await deliver("pull_request_review", reviewPayload("OWNER", "<!-- dark-factory:review:k1 -->\nPlease fix."), { deliveryId: "d-pasted-marker" });
    expect(result.body).toEqual({ status: "accepted", events: ["github/pull_request_review.submitted"] });
  });

  it("answers the same signed body under a new delivery id with 200 duplicate and sends nothing again", async () => {
    const review = reviewPayload();
    expect((await deliver("pull_request_review", review, { deliveryId: "d-subject-1" })).status).toBe(202);
    expect(inngestEvents.events).toHaveLength(1);
    const replay = await deliver("pull_request_review", review, { deliveryId: "d-subject-2-replayed" });
    expect(replay).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(inngestEvents.events).toHaveLength(1);
    expect(await db.webhookDelivery.findUnique({ where: { id: "d-subject-1" } })).toMatchObject({ subjectKey: `review-${review.review.id}` });

    const comment = example("issue_comment", "created");
    comment.issue.number = 2;
    comment.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/2" };
    comment.comment.author_association = "OWNER";
    comment.comment.id = 770_001;
    expect((await deliver("issue_comment", comment, { deliveryId: "d-comment-1" })).status).toBe(202);
    expect(await deliver("issue_comment", comment, { deliveryId: "d-comment-2-replayed" })).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(inngestEvents.events).toHaveLength(2);
  });

  it("ignores unknown event types with 202", async () => {
    const result = await deliver("star", { action: "created", starred_at: null }, { deliveryId: "d-star" });
    expect(result).toEqual({ status: 202, body: { status: "ignored", reason: "event star not handled" } });
  });
});

describe("translation", () => {
  it("check_suite completed on the factory branch -> github/check_suite.completed", async () => {
    const p = example("check_suite", "completed");
    p.check_suite.head_branch = branch;
    expect((await deliver("check_suite", p, { deliveryId: "d-suite" })).status).toBe(202);
    expect(inngestEvents.events).toEqual([
      expect.objectContaining({ name: "github/check_suite.completed", data: expect.objectContaining({ headSha, headBranch: branch, conclusion: "success" }) }),
    ]);
  });

  it("check_run completed is ignored: CI is read per check suite", async () => {
    const p = example("check_run", "completed");
    p.check_run.check_suite.head_branch = branch;
    const response = await deliver("check_run", p, { deliveryId: "d-run" });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: "ignored", reason: "CI is read per check suite (check_suite.completed)" });
    expect(inngestEvents.events).toEqual([]);
  });

  it("issue_comment on a factory PR -> github/issue_comment.created; on a plain issue it is ignored", async () => {
    const plain = example("issue_comment", "created");
    expect((await deliver("issue_comment", plain, { deliveryId: "d-issue" })).body.reason).toBe("comment on an issue, not a pull request");
    const onPr = example("issue_comment", "created");
    onPr.issue.number = 2;
    onPr.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/2" };
    await deliver("issue_comment", onPr, { deliveryId: "d-pr-comment" });
    expect(inngestEvents.events).toEqual([
      expect.objectContaining({ name: "github/issue_comment.created", data: expect.objectContaining({ pullRequestNumber: 2, headBranch: branch, commentId: 492700400, isTrusted: true }) }),
    ]);
  });

  it("pull_request_review_comment created is ignored: its review (pull_request_review.submitted) is answered", async () => {
    const p = example("pull_request_review_comment", "created");
    p.pull_request.head.ref = branch;
    const response = await deliver("pull_request_review_comment", p, { deliveryId: "d-review-comment" });
    expect(response.body).toMatchObject({ status: "ignored", reason: "answered through its review (pull_request_review.submitted)" });
    expect(inngestEvents.events).toEqual([]);
  });

  it("pull_request closed (merged) records the merge with its cost once, and sends no event", async () => {
    const p = example("pull_request", "closed");
    p.pull_request.head.ref = branch;
    p.pull_request.merged = true;
    p.pull_request.merged_at = "2026-11-28T12:00:00Z";
    expect((await deliver("pull_request", p, { deliveryId: "d-merged" })).status).toBe(202);
    expect(inngestEvents.events).toEqual([]);
    const row = await db.pullRequest.findFirstOrThrow({ where: { number: 2 } });
    expect(row.state).toBe("merged");
    expect(row.mergedAt?.toISOString()).toBe("2026-11-28T12:00:00.000Z");
    expect(row.costAtMergeUsd?.toString()).toBe("1.25");
    // GitHub may send the same close again under a new delivery id: still one merge event.
    await deliver("pull_request", p, { deliveryId: "d-merged-again" });
    const merged = await db.runEvent.findMany({ where: { runId, type: "pull_request.merged" } });
    expect(merged).toHaveLength(1);
    expect(merged[0].payload).toMatchObject({ number: 2, mergeCommitSha: "c4295bd74fb0f4fda03689c3df3f2803b658fd85" });
  });
});

describe("delivery to Inngest", () => {
  it("answers 503 when the events cannot be sent, without marking the delivery processed; a redelivery works", async () => {
    const payload = reviewPayload();
    const request = () => gh.webhookRequest(url, { event: "pull_request_review", payload, deliveryId: "d-outage" });
    const sendEvents = async () => { throw new Error("connect ECONNREFUSED 127.0.0.1:8288"); };
    const req = request();
    await expect(handleWebhook({ headers: req.headers, rawBody: await req.text(), sendEvents })).rejects.toMatchObject({ status: 503 });
    expect(await db.webhookDelivery.count({ where: { id: "d-outage" } })).toBe(0);
    const sent: unknown[] = [];
    const retry = request();
    const result = await handleWebhook({ headers: retry.headers, rawBody: await retry.text(), sendEvents: async (events) => sent.push(...events) });
    expect(result.status).toBe(202);
    expect(sent).toHaveLength(1);
  });

  it("the route answers 503 when Inngest's Event API fails", async () => {
    inngestEvents.failNext(10);
    try {
      const result = await deliver("pull_request_review", reviewPayload(), { deliveryId: "d-inngest-down" });
      expect(result.status).toBe(503);
      expect(await db.webhookDelivery.count({ where: { id: "d-inngest-down" } })).toBe(0);
    } finally {
      inngestEvents.failNext(0);
    }
  });
});

describe("secrets", () => {
  it("no canary secret reaches a response, a delivery record or a RunEvent", async () => {
    const responses = [
      await deliver("pull_request_review", reviewPayload(), { secret: "wrong-secret-value" }),
      await deliver("pull_request_review", reviewPayload("NONE")),
    ];
    const stored = JSON.stringify([await db.webhookDelivery.findMany(), await db.runEvent.findMany()]);
    expect(findCanaries(JSON.stringify(responses) + stored)).toEqual([]);
  });
});

function signedHeaders(body: string, deliveryId: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-github-event": "pull_request_review",
    "x-github-delivery": deliveryId,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secretCanaries.GITHUB_WEBHOOK_SECRET).update(body).digest("hex")}`,
  };
}
