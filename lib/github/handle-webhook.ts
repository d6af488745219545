// POST /api/github/webhook: verify the signature, de-duplicate on the delivery id and on what
// the signed body is about (a replayed body under a new delivery id does nothing), turn the
// delivery into typed Inngest events, answer fast. Heavy work happens in workflows.
import { Webhooks } from "@octokit/webhooks";
import { db } from "../db";
import { inngest } from "../inngest";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { redactSecrets } from "../redact";
import { recordHumanReview } from "./record-human-review";
import { recordPullRequestClosed } from "./record-pull-request-closed";
import { translateWebhook, type WebhookEvent } from "./translate-webhook";
import { envelopeSchema } from "./webhook-payloads";

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
