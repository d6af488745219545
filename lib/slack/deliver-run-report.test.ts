import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";
import { useFakeSlack, useSlackWebhookUrl } from "@/test/slack-fixtures";
import { seedFinishedRun } from "@/test/seed-finished-run";
import { buildRunReport } from "./build-run-report";
import { deliverRunReport, slackNotConfiguredError } from "./deliver-run-report";
import { SlackDeliveryError } from "./slack-message";
import type { SlackMessage } from "./slack-message";

const slack = await useFakeSlack();

async function seedReport(options: Parameters<typeof seedFinishedRun>[0] = { status: "succeeded", spentUsd: 1 }) {
  const { run } = await seedFinishedRun(options);
  const message = await buildRunReport({ runId: run.id });
  if (!message) throw new Error("expected a report");
  return { run, message };
}

async function notificationsOf(runId: string) {
  return db.notification.findMany({ where: { runId } });
}

async function eventsOf(runId: string) {
  return db.runEvent.findMany({ where: { runId, type: { startsWith: "notification." } }, orderBy: { seq: "asc" } });
}

/** Runs `work`, expecting a SlackDeliveryError, and returns it. */
async function deliveryError(work: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof SlackDeliveryError)) throw new Error(`expected a SlackDeliveryError, got ${String(error)}`);
  return error;
}

function bodiesFor(message: SlackMessage) {
  return slack.delivered().filter((body) => JSON.stringify(body) === JSON.stringify(message));
}

describe("deliverRunReport", () => {
  it("posts the message once and records the delivery on the Notification and as a RunEvent", async () => {
    const { run, message } = await seedReport();
    const delivery = await deliverRunReport({ runId: run.id, message });

    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(bodiesFor(message)).toHaveLength(1);
    const [notification] = await notificationsOf(run.id);
    expect(notification).toMatchObject({ channel: "slack", attempts: 1, lastError: null, payload: message });
    expect(notification?.deliveredAt).toBeInstanceOf(Date);
    const events = await eventsOf(run.id);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ["notification.delivered", { notificationId: notification?.id, channel: "slack", attempt: 1 }],
    ]);
  });

  it("reports again when a retried task ends the run again later, and only once for that ending", async () => {
    const { run, message } = await seedReport({ status: "failed", spentUsd: 1 });
    expect(await deliverRunReport({ runId: run.id, message })).toMatchObject({ status: "delivered" });
    const [first] = await notificationsOf(run.id);
    // The retry ends the run after the first report went out.
    await db.run.update({ where: { id: run.id }, data: { status: "succeeded", finishedAt: new Date(first!.deliveredAt!.getTime() + 1) } });
    const second = (await buildRunReport({ runId: run.id }))!;
    expect(await deliverRunReport({ runId: run.id, message: second })).toMatchObject({ status: "delivered", attempts: 2 });
    expect(await deliverRunReport({ runId: run.id, message: second })).toMatchObject({ status: "already_delivered" });
    expect(bodiesFor(second)).toHaveLength(1);
    expect(await notificationsOf(run.id)).toHaveLength(1);
  });

  it("records a failed attempt without the webhook URL, then a retry delivers it, and a later call sends nothing", async () => {
    const { run, message } = await seedReport();
    slack.failNext(1, { status: 500 });

    const failure = await deliveryError(deliverRunReport({ runId: run.id, message }));
    expect(failure).toMatchObject({ isRetryable: true, statusCode: 500, message: "Slack answered HTTP 500 internal_error" });
    const [failed] = await notificationsOf(run.id);
    expect(failed).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "Slack answered HTTP 500 internal_error" });

    expect(await deliverRunReport({ runId: run.id, message })).toMatchObject({ status: "delivered", attempts: 2 });
    expect(await deliverRunReport({ runId: run.id, message })).toMatchObject({ status: "already_delivered", attempts: 2 });

    expect(bodiesFor(message)).toHaveLength(1);
    expect(slack.requests.filter((r) => JSON.stringify(r.body) === JSON.stringify(message)).map((r) => r.answeredStatus)).toEqual([500, 200]);
    const notifications = await notificationsOf(run.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ attempts: 2 });
    expect(notifications[0]?.deliveredAt).toBeInstanceOf(Date);
    const events = await eventsOf(run.id);
    expect(events.map((e) => [e.type, (e.payload as { attempt?: number }).attempt])).toEqual([
      ["notification.failed", 1],
      ["notification.delivered", 2],
    ]);
    // A Slack failure never rewrites the finished run.
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
  });

  it("keeps the webhook URL (a secret) out of lastError and RunEvents when Slack is unreachable", async () => {
    useSlackWebhookUrl(secretCanaries.SLACK_WEBHOOK_URL); // 127.0.0.1:9: nothing listens there
    const { run, message } = await seedReport();

    const failure = await deliveryError(deliverRunReport({ runId: run.id, message }));
    expect(failure.isRetryable).toBe(true);
    expect(failure.message).toMatch(/^Could not reach Slack: /);
    const [notification] = await notificationsOf(run.id);
    expect(notification?.attempts).toBe(1);
    const stored = JSON.stringify({ notification, events: await eventsOf(run.id), failure: failure.message });
    expect(stored).toContain("notification.failed");
    expect(findCanaries(stored)).toEqual([]);
    expect(stored).not.toContain("/services/CANARY");
  });

  it("keeps the webhook URL's secret path out of what it records when Slack's answer echoes it", async () => {
    const { run, message } = await seedReport();
    const secretPath = new URL(slack.webhookUrl).pathname;
    slack.failNext(1, { status: 500, body: `upstream failed for ${secretPath}` });
    const failure = await deliveryError(deliverRunReport({ runId: run.id, message }));
    const stored = JSON.stringify({ notifications: await notificationsOf(run.id), events: await eventsOf(run.id), failure: failure.message });
    expect(stored).toContain("Slack answered HTTP 500 upstream failed for [redacted]");
    expect(stored).not.toContain(secretPath);
  });

  it("treats a 429 as retryable after Slack's Retry-After, and a 404 no_service as permanent", async () => {
    const { run, message } = await seedReport();
    slack.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await deliveryError(deliverRunReport({ runId: run.id, message }));
    expect(limited).toMatchObject({ isRetryable: true, statusCode: 429, retryAfterMs: 7000 });

    useSlackWebhookUrl(slack.unknownWebhookUrl);
    const gone = await deliveryError(deliverRunReport({ runId: run.id, message }));
    expect(gone).toMatchObject({ isRetryable: false, statusCode: 404, message: "Slack answered HTTP 404 no_service" });
    expect((await notificationsOf(run.id))[0]).toMatchObject({ attempts: 2, lastError: "Slack answered HTTP 404 no_service", deliveredAt: null });
  });

  it("records a skip and does not throw when SLACK_WEBHOOK_URL is unset", async () => {
    useSlackWebhookUrl(undefined);
    const { run, message } = await seedReport();
    const requestsBefore = slack.requests.length;

    expect(await deliverRunReport({ runId: run.id, message })).toMatchObject({ status: "skipped", attempts: 0 });
    expect(await deliverRunReport({ runId: run.id, message })).toMatchObject({ status: "skipped", attempts: 0 });

    expect(slack.requests.length).toBe(requestsBefore);
    const notifications = await notificationsOf(run.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ attempts: 0, deliveredAt: null, lastError: slackNotConfiguredError });
    expect((await eventsOf(run.id)).map((e) => [e.type, (e.payload as { reason?: string }).reason])).toEqual([
      ["notification.skipped", "SLACK_WEBHOOK_URL is not set"],
    ]);
  });

  it("creates one Notification even when two deliveries start at once", async () => {
    const { run, message } = await seedReport();
    await Promise.allSettled([deliverRunReport({ runId: run.id, message }), deliverRunReport({ runId: run.id, message })]);
    expect(await notificationsOf(run.id)).toHaveLength(1);
  });

  it("gets a report for a run with hundreds of tasks accepted by Slack's limits", async () => {
    const tasks = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, title: `${"&".repeat(140)} ${i}`, status: "succeeded" as const, pr: { number: 500 + i, state: "merged" as const } }));
    const { run, message } = await seedReport({ status: "succeeded", spentUsd: 3, tasks });
    expect(await deliverRunReport({ runId: run.id, message })).toMatchObject({ status: "delivered" });
    expect(bodiesFor(message)).toHaveLength(1);
  });
});
