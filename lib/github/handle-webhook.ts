// The GitHub webhook endpoint's domain logic, and what a closed PR means for its task.
import { Webhooks } from "@octokit/webhooks";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { inngest } from "@/lib/inngest";
import { redactSecrets } from "@/lib/redact";
import { recordRunEvent } from "@/lib/runs/run-events";
import { recordHumanReview } from "./reviews";
import { translateWebhook, type WebhookEvent, envelopeSchema } from "./webhook-events";

// POST /api/github/webhook: verify the signature, de-duplicate on the delivery id and on what
// the signed body is about (a replayed body under a new delivery id does nothing), turn the
// delivery into typed Inngest events, answer fast. Heavy work happens in workflows.
/**
 * GitHub caps payloads at 25 MB, but the events the factory handles are far smaller (a PR body
 * is at most 65 536 characters), so anything over 2 MB is refused unread with 413.
 */
export const maxWebhookBodyBytes = 2 * 1024 * 1024;

export type SendEvents = (events: WebhookEvent[]) => Promise<unknown>;

export type HandleWebhookInput = {
  headers: Headers;
  rawBody: string;
  /** Defaults to inngest.send; tests inject their own. */
  sendEvents?: SendEvents;
};

export type WebhookResult = { status: number; body: { status: "accepted" | "ignored" | "duplicate"; reason?: string; events?: string[] } };

/** What can be checked before the body is read: a configured secret and a signature header. */
export function assertWebhookSignable(headers: Headers): { secret: string; signature: string } {
  const secret = getEnv().GITHUB_WEBHOOK_SECRET;
  if (!secret) throw new AppError("unavailable", "GITHUB_WEBHOOK_SECRET is not set, so webhook deliveries cannot be verified. Set it to the secret configured on the GitHub webhook.");
  const signature = headers.get("x-hub-signature-256");
  if (!signature) throw new AppError("unauthorized", "Missing X-Hub-Signature-256 header");
  if (!/^sha256=[0-9a-f]{64}$/i.test(signature.trim())) throw new AppError("unauthorized", "Invalid X-Hub-Signature-256 signature");
  return { secret, signature: signature.trim() };
}

export async function handleWebhook(input: HandleWebhookInput): Promise<WebhookResult> {
  const { secret, signature } = assertWebhookSignable(input.headers);
  if (Buffer.byteLength(input.rawBody) > maxWebhookBodyBytes) throw new AppError("payload_too_large", "Webhook payload exceeds 2 MB");
  if (!(await isSignatureValid(secret, input.rawBody, signature))) throw new AppError("unauthorized", "Invalid X-Hub-Signature-256 signature");

  const event = input.headers.get("x-github-event");
  const deliveryId = input.headers.get("x-github-delivery");
  if (!event || !deliveryId || deliveryId.length > 100) throw new AppError("bad_request", "Missing or invalid X-GitHub-Event or X-GitHub-Delivery header");
  let payload: unknown;
  try {
    payload = JSON.parse(input.rawBody);
  } catch {
    throw new AppError("bad_request", "Webhook body is not valid JSON");
  }
  const action = envelopeSchema.safeParse(payload).data?.action ?? null;

  if (await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { id: true } })) {
    return { status: 200, body: { status: "duplicate" } };
  }
  const decision = await translateWebhook({ event, deliveryId, payload });
  if (decision.outcome === "ignored") {
    await recordDelivery(deliveryId, event, action, `ignored:${decision.reason}`);
    return { status: 202, body: { status: "ignored", reason: decision.reason } };
  }
  if (decision.subjectKey && (await db.webhookDelivery.findUnique({ where: { subjectKey: decision.subjectKey }, select: { id: true } }))) {
    // The same signed body under a new delivery id: GitHub never does that, a replay does.
    await recordDelivery(deliveryId, event, action, `ignored:replay of ${decision.subjectKey}`);
    return { status: 200, body: { status: "duplicate" } };
  }
  // Cheap and idempotent, so it happens here; it survives a failed send and a redelivery.
  if (decision.closure) await recordPullRequestClosed(decision.closure);
  if (decision.humanReview) await recordHumanReview(decision.humanReview);
  const send = input.sendEvents ?? sendWithInngest;
  try {
    if (decision.events.length > 0) await send(decision.events);
  } catch (error) {
    // Not recorded as processed: GitHub redelivers, and the event ids let Inngest de-duplicate.
    console.error(`[github] could not send webhook events to Inngest: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    throw new AppError("unavailable", "Could not queue the webhook's work; retry the delivery");
  }
  await recordDelivery(deliveryId, event, action, "accepted", decision.subjectKey);
  return { status: 202, body: { status: "accepted", events: decision.events.map((e) => e.name) } };
}

async function isSignatureValid(secret: string, rawBody: string, signature: string): Promise<boolean> {
  try {
    return await new Webhooks({ secret }).verify(rawBody, signature);
  } catch {
    return false; // malformed signature header
  }
}

async function recordDelivery(id: string, event: string, action: string | null, outcome: string, subjectKey?: string): Promise<void> {
  // A concurrent delivery of the same id (or subject) may have recorded it first; that is fine:
  // its events carry the same id, which the engine de-duplicates.
  await db.webhookDelivery.createMany({ data: [{ id, event, action, outcome: outcome.slice(0, 500), subjectKey }], skipDuplicates: true });
}

async function sendWithInngest(events: WebhookEvent[]): Promise<unknown> {
  return inngest.send(events);
}

// Records that a factory PR closed. A merge stores the cost attributed to the PR (its
// task's cost, or the run's spend for a PR without a task): cost per merged PR is the
// number users judge the factory by. Idempotent: a replayed webhook changes nothing.
export type RecordPullRequestClosedInput = {
  owner: string;
  repo: string;
  number: number;
  isMerged: boolean;
  closedAt?: Date;
  mergeCommitSha?: string | null;
};

export type RecordedClosure = { pullRequestId: string; runId: string; isChanged: boolean; costAtMergeUsd: string | null };

export async function recordPullRequestClosed(input: RecordPullRequestClosedInput): Promise<RecordedClosure | null> {
  const pull = await db.pullRequest.findFirst({
    where: {
      number: input.number,
      repository: { owner: { equals: input.owner, mode: "insensitive" }, name: { equals: input.repo, mode: "insensitive" } },
    },
    select: { id: true, runId: true, url: true, state: true, task: { select: { costUsd: true } }, run: { select: { spentUsd: true } } },
  });
  if (!pull) return null;
  const closedAt = input.closedAt ?? new Date();
  const cost = (pull.task?.costUsd ?? pull.run.spentUsd).toString();

  return db.$transaction(async (tx) => {
    // The state guard makes concurrent deliveries of the same close record it once.
    const { count } = await tx.pullRequest.updateMany({
      where: { id: pull.id, state: input.isMerged ? { not: "merged" } : { notIn: ["merged", "closed"] } },
      data: input.isMerged
        ? { state: "merged", mergedAt: closedAt, closedAt, costAtMergeUsd: cost }
        : { state: "closed", closedAt },
    });
    if (count === 0) return { pullRequestId: pull.id, runId: pull.runId, isChanged: false, costAtMergeUsd: input.isMerged ? cost : null };
    await recordRunEvent(
      {
        runId: pull.runId,
        type: input.isMerged ? "pull_request.merged" : "pull_request.closed",
        payload: { pullRequestId: pull.id, number: input.number, url: pull.url, ...(input.isMerged ? { costUsd: cost, mergeCommitSha: input.mergeCommitSha ?? null } : {}) },
      },
      tx,
    );
    return { pullRequestId: pull.id, runId: pull.runId, isChanged: true, costAtMergeUsd: input.isMerged ? cost : null };
  });
}
