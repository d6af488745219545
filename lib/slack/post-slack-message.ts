// Posts one message to a Slack incoming webhook and classifies failures, so the caller
// knows whether a retry can help. Error text never contains the webhook URL: the URL is the
// credential, and these messages end up in the database, RunEvents and Inngest's logs.
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from "@slack/webhook";
import { redactSecrets } from "../redact";
import { secretValues } from "../env";
import type { SlackMessage } from "./slack-message";

const requestTimeoutMs = 10_000;

/** A failed post. `message` is already redacted and safe to store or log. */
export class SlackDeliveryError extends Error {
  constructor(
    message: string,
    readonly isRetryable: boolean,
    readonly statusCode?: number,
    /** From Slack's Retry-After on a 429. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "SlackDeliveryError";
  }
}

export async function postSlackMessage(options: { webhookUrl: string; message: SlackMessage }): Promise<void> {
  let retryAfter: string | null = null;
  // IncomingWebhookHTTPError drops response headers, so keep Retry-After on the way through.
  const fetchKeepingRetryAfter: FetchFunction = async (url, init) => {
    const response = await fetch(url, init);
    retryAfter = response.headers.get("retry-after");
    return response;
  };
  // No retries inside the client: Inngest retries the step with backoff and records each one.
  const webhook = new IncomingWebhook(options.webhookUrl, { timeout: requestTimeoutMs, fetch: fetchKeepingRetryAfter });
  try {
    await webhook.send(options.message);
  } catch (error) {
    throw toDeliveryError(error, options.webhookUrl, retryAfter);
  }
}

function toDeliveryError(error: unknown, webhookUrl: string, retryAfter: string | null): SlackDeliveryError {
  const redact = (text: string) => redactSecrets(text, [...secretValues(), webhookUrl, secretPathOf(webhookUrl)].filter(Boolean));
  if (error instanceof IncomingWebhookHTTPError) {
    const status = error.statusCode;
    const body = redact(String(error.body ?? "").slice(0, 200)).trim();
    const message = `Slack answered HTTP ${status}${body ? ` ${body}` : ""}`;
    if (status === 429) return new SlackDeliveryError(message, true, status, retryAfterMs(retryAfter));
    // Other 4xx (no_service, invalid_payload, channel_is_archived, ...) fail the same way every time.
    return new SlackDeliveryError(message, status >= 500, status);
  }
  if (error instanceof IncomingWebhookRequestError) {
    const cause = error.original.cause as { code?: unknown } | undefined;
    const reason = typeof cause?.code === "string" ? cause.code : error.original.message;
    return new SlackDeliveryError(redact(`Could not reach Slack: ${reason}`), true);
  }
  return new SlackDeliveryError(redact(`Could not post to Slack: ${error instanceof Error ? error.message : String(error)}`), true);
}

/** The path of a webhook URL (/services/T…/B…/secret) is the secret part on its own. */
function secretPathOf(webhookUrl: string): string {
  try {
    const path = new URL(webhookUrl).pathname;
    return path.length >= 12 ? path : "";
  } catch {
    return "";
  }
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
