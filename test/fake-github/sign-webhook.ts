// Builds webhook deliveries as GitHub sends them: JSON body, event and delivery headers,
// and X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(secret, raw body).
import { createHmac, randomUUID } from "node:crypto";

export type WebhookInput = {
  event: string;
  payload: unknown;
  /** Defaults to the fake's webhookSecret; pass another to simulate a bad signature. */
  secret?: string;
  deliveryId?: string;
  /** false: send no signature header at all. */
  isSigned?: boolean;
};

export type SignedWebhook = { url: string; body: string; headers: Record<string, string>; deliveryId: string };

export function signWebhook(url: string, input: WebhookInput, defaultSecret: string | undefined): SignedWebhook {
  const body = JSON.stringify(input.payload);
  const deliveryId = input.deliveryId ?? randomUUID();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/fake",
    "x-github-event": input.event,
    "x-github-delivery": deliveryId,
    "x-github-hook-id": "1",
  };
  const secret = input.secret ?? defaultSecret;
  if (input.isSigned !== false) {
    if (!secret) throw new Error("fake GitHub: no webhook secret configured (startFakeGitHub({ webhookSecret }))");
    headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  }
  return { url, body, headers, deliveryId };
}
