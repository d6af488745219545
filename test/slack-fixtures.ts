// A local Slack for the tests of one file: each test posts to it, and between tests the webhook
// URL points back at the canary (where nothing listens), so no test reaches a Slack it did not set up.
import { afterAll, afterEach, beforeEach } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { startFakeSlack } from "./fake-slack";
import { secretCanaries } from "./secret-canaries";

/** Points SLACK_WEBHOOK_URL at `url`, or unsets it. */
export function useSlackWebhookUrl(url: string | undefined) {
  if (url === undefined) delete process.env.SLACK_WEBHOOK_URL;
  else process.env.SLACK_WEBHOOK_URL = url;
  resetEnvCache();
}

/** Starts a fake Slack for the file and points the app at it during each test. */
export async function useFakeSlack() {
  const slack = await startFakeSlack();
  afterAll(() => slack.close());
  beforeEach(() => useSlackWebhookUrl(slack.webhookUrl));
  afterEach(() => useSlackWebhookUrl(secretCanaries.SLACK_WEBHOOK_URL));
  return slack;
}
