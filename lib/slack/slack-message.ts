// Slack messages: the Block Kit subset, safe text, and posting with retries.
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from "@slack/webhook";
import { secretValues } from "@/lib/env";
import { redactSecrets } from "@/lib/redact";

// The subset of Slack's Block Kit the factory sends, as plain JSON-safe types: they survive
// Inngest step serialisation and Prisma Json columns unchanged.

export type PlainText = { type: "plain_text"; text: string; emoji?: boolean };
export type Mrkdwn = { type: "mrkdwn"; text: string };

export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "divider" }
  | { type: "actions"; elements: { type: "button"; text: PlainText; url: string; action_id: string; style?: "primary" }[] };

/** An incoming-webhook message: `text` is the notification and screen-reader fallback. */
export type SlackMessage = { text: string; blocks: SlackBlock[] };

/** Slack's documented Block Kit limits; a message over them is refused with invalid_blocks. */
export const slackLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonUrl: 3000,
} as const;

// Helpers that turn untrusted text and numbers into Slack mrkdwn that stays inside Slack's
// limits. Titles, task names and errors come from users and models, so nothing reaches a
// message unescaped: an unescaped "<!channel>" would ping a whole channel.

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes Slack's control characters (&, <, >). With `maxLength`, cuts the escaped result at a
 * character boundary (never inside an entity such as `&amp;`) and ends it with "…".
 */
export function escapeMrkdwn(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  let result = "";
  const characters = Array.from(text);
  for (const [index, character] of characters.entries()) {
    const piece = escapes[character] ?? character;
    const isLast = index === characters.length - 1;
    if (result.length + piece.length + (isLast ? 0 : 1) > maxLength) return `${result}…`;
    result += piece;
  }
  return result;
}

/** A mrkdwn link; only http(s) URLs become links, anything else shows the label alone. */
export function linkMrkdwn(url: string, label: string): string {
  const safeLabel = escapeMrkdwn(label);
  if (!/^https?:\/\//i.test(url)) return safeLabel;
  return `<${escapeMrkdwn(url).replace(/\|/g, "%7C")}|${safeLabel}>`;
}

/** Joins lines until `limit` characters, then ends with "…and N more" for the lines left out. */
export function joinLinesWithin(lines: string[], limit: number): string {
  const reserve = 24; // room for "\n_…and 99999 more_"
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (kept.length ? 1 : 0) + line.length;
    const isLastLine = kept.length === lines.length - 1;
    if (length + added > limit - (isLastLine ? 0 : reserve)) break;
    kept.push(line);
    length += added;
  }
  const left = lines.length - kept.length;
  return left > 0 ? [...kept, `_…and ${left} more_`].join("\n") : kept.join("\n");
}


/** "1h 5m", "12m 5s", "45s". */
export function formatDuration(milliseconds: number): string {
  const totalSeconds = Math.max(0, Math.round(milliseconds / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/** "1,234,567". */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

// Posts one message to a Slack incoming webhook and classifies failures, so the caller
// knows whether a retry can help. Error text never contains the webhook URL: the URL is the
// credential, and these messages end up in the database, RunEvents and Inngest's logs.
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
