// Delivers a run report to Slack, recording every attempt on the run's one Notification row
// and as a RunEvent; once delivered, retries and re-runs send nothing until the run ends again
// (a retried task). It never touches the run's status: the run has already finished, and a
// Slack outage must not rewrite its outcome.
import type { Notification } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { recordRunEvent } from "@/lib/runs/run-events";
import { postSlackMessage, SlackDeliveryError } from "./slack-message";
import type { SlackMessage } from "./slack-message";

export const slackNotConfiguredError = "SLACK_WEBHOOK_URL is not set";

export type RunReportDelivery = {
  status: "delivered" | "already_delivered" | "skipped";
  notificationId: string;
  attempts: number;
};

/**
 * Posts `message` to SLACK_WEBHOOK_URL unless this run's report was already delivered.
 * Throws SlackDeliveryError (redacted, with `isRetryable`) when Slack refuses or is
 * unreachable, after recording the attempt. Without a webhook URL it records a skip and returns.
 */
export async function deliverRunReport(options: { runId: string; message: SlackMessage }): Promise<RunReportDelivery> {
  const { runId, message } = options;
  const notification = await findOrCreateNotification(runId, message);
  // A report says how the run ended; a retried task can end it again, later, which deserves its own.
  const { finishedAt } = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { finishedAt: true } });
  if (notification.deliveredAt && (!finishedAt || notification.deliveredAt >= finishedAt)) {
    return { status: "already_delivered", notificationId: notification.id, attempts: notification.attempts };
  }

  const webhookUrl = getEnv().SLACK_WEBHOOK_URL;
  if (!webhookUrl) {
    if (notification.lastError !== slackNotConfiguredError) await recordSkipped(runId, notification.id);
    return { status: "skipped", notificationId: notification.id, attempts: notification.attempts };
  }

  // Counted before posting, so an attempt cut short by a crash still shows.
  const { attempts: attempt } = await db.notification.update({
    where: { id: notification.id },
    data: { attempts: { increment: 1 }, payload: message },
    select: { attempts: true },
  });
  const eventBase = { notificationId: notification.id, channel: "slack", attempt };
  try {
    await postSlackMessage({ webhookUrl, message });
  } catch (error) {
    const failure = error instanceof SlackDeliveryError ? error : new SlackDeliveryError("Could not post to Slack", true);
    await db.$transaction(async (tx) => {
      await tx.notification.update({ where: { id: notification.id }, data: { lastError: failure.message } });
      await recordRunEvent(
        {
          runId,
          type: "notification.failed",
          payload: { ...eventBase, error: failure.message, statusCode: failure.statusCode ?? null, isRetryable: failure.isRetryable },
        },
        tx,
      );
    });
    throw failure;
  }
  await db.$transaction(async (tx) => {
    await tx.notification.update({ where: { id: notification.id }, data: { deliveredAt: new Date() } });
    await recordRunEvent({ runId, type: "notification.delivered", payload: eventBase }, tx);
  });
  return { status: "delivered", notificationId: notification.id, attempts: attempt };
}

/** One row per run report: the unique (runId, channel) lets concurrent first attempts agree on one row (ON CONFLICT DO NOTHING). */
async function findOrCreateNotification(runId: string, message: SlackMessage): Promise<Notification> {
  await db.notification.createMany({ data: [{ runId, channel: "slack", payload: message }], skipDuplicates: true });
  return db.notification.findUniqueOrThrow({ where: { runId_channel: { runId, channel: "slack" } } });
}

async function recordSkipped(runId: string, notificationId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.notification.update({ where: { id: notificationId }, data: { lastError: slackNotConfiguredError } });
    await recordRunEvent(
      { runId, type: "notification.skipped", payload: { notificationId, channel: "slack", reason: slackNotConfiguredError } },
      tx,
    );
  });
}
