// Tells Slack how a run ended. Retried with Inngest's backoff; a Slack failure is recorded on
// the run's Notification and events but never changes the run, which has already finished.
import { NonRetriableError, RetryAfterError } from "inngest";
import { buildRunReport } from "@/lib/slack/build-run-report";
import { deliverRunReport } from "@/lib/slack/deliver-run-report";
import { SlackDeliveryError } from "@/lib/slack/slack-message";
import { inngest } from "@/lib/inngest";
import { runFinished } from "@/lib/events";

export const notifyRunFinished = inngest.createFunction(
  // No idempotency key on the run id: a retried task ends the run again and that gets its own
  // report; deliverRunReport sends once per ending, whatever repeats.
  { id: "notify-run-finished", retries: 5, triggers: [runFinished] },
  async ({ event, step }) => {
    const { runId } = event.data;
    const message = await step.run("build-run-report", () => buildRunReport({ runId }));
    if (!message) return { runId, skipped: "run not found" };

    const delivery = await step.run("deliver-run-report", async () => {
      try {
        return await deliverRunReport({ runId, message });
      } catch (error) {
        throw toInngestRetryError(error);
      }
    });
    return { runId, ...delivery };
  },
);

/** Maps Slack's verdict onto Inngest's retry control: stop on a permanent refusal, wait on 429. */
function toInngestRetryError(error: unknown): unknown {
  if (!(error instanceof SlackDeliveryError)) return error;
  if (!error.isRetryable) return new NonRetriableError(error.message);
  if (error.retryAfterMs !== undefined) return new RetryAfterError(error.message, error.retryAfterMs);
  return error;
}
