import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runPageUrl } from "@/lib/runs/to-run-dto";
import { useFakeSlack, useSlackWebhookUrl } from "@/test/slack-fixtures";
import { seedFinishedRun } from "@/test/seed-finished-run";
import { notifyRunFinished } from "./notify-run-finished";

const slack = await useFakeSlack();

/** One engine per execution: a shared engine leaks memoised step results between runs. */
function execute(runId: string, status: "succeeded" | "failed" | "cancelled" | "budget_exhausted") {
  const engine = new InngestTestEngine({ function: notifyRunFinished });
  return engine.execute({ events: [{ name: "factory/run.finished", data: { runId, status } }] });
}

function errorName(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
}

describe("notify-run-finished", () => {
  it("builds the run report and delivers it to Slack on factory/run.finished", async () => {
    const { run } = await seedFinishedRun({ status: "failed", error: "Planning is not built yet", spentUsd: 0.5 });
    const { result, error } = await execute(run.id, "failed");

    expect(error).toBeUndefined();
    expect(result).toMatchObject({ runId: run.id, status: "delivered", attempts: 1 });
    const bodies = slack.delivered() as { text: string; blocks: { type: string; text?: { text: string }; elements?: { url: string }[] }[] }[];
    const body = bodies.find((b) => b.text.includes(runPageUrl(run.id)));
    expect(body?.blocks[0]?.text?.text).toBe(":x: Run failed");
    expect(body?.blocks.some((b) => b.text?.text === "*Reason*\nPlanning is not built yet")).toBe(true);
    expect(body?.blocks.at(-1)?.elements?.[0]?.url).toBe(runPageUrl(run.id));
    const notification = await db.notification.findFirstOrThrow({ where: { runId: run.id } });
    expect(notification.deliveredAt).toBeInstanceOf(Date);
  });

  it("stops retrying with NonRetriableError when Slack answers 404 no_service, leaving the run as it finished", async () => {
    useSlackWebhookUrl(slack.unknownWebhookUrl);
    const { run } = await seedFinishedRun({ status: "succeeded" });
    const { error } = await execute(run.id, "succeeded");

    expect(errorName(error)).toBe("NonRetriableError");
    expect(String((error as { message?: unknown }).message)).toBe("Slack answered HTTP 404 no_service");
    const notification = await db.notification.findFirstOrThrow({ where: { runId: run.id } });
    expect(notification).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "Slack answered HTTP 404 no_service" });
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
  });

  it("throws a retryable error on a Slack outage so Inngest retries with backoff", async () => {
    const { run } = await seedFinishedRun({ status: "succeeded" });
    slack.failNext(1, { status: 500 });
    const { error } = await execute(run.id, "succeeded");

    expect(error).toBeDefined();
    expect(errorName(error)).not.toBe("NonRetriableError");
    expect(await db.notification.findFirstOrThrow({ where: { runId: run.id } })).toMatchObject({ attempts: 1, deliveredAt: null });
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
  });

  // The delay itself (Retry-After -> retryAfterMs) is asserted in deliver-run-report.test.ts; the
  // test engine serialises the error without it.
  it("asks Inngest to retry after Slack's Retry-After on a 429", async () => {
    const { run } = await seedFinishedRun({ status: "succeeded" });
    slack.failNext(1, { status: 429, retryAfterSeconds: 30 });
    const { error } = await execute(run.id, "succeeded");

    expect(errorName(error)).toBe("RetryAfterError");
  });

  it("does nothing for a run that no longer exists", async () => {
    const requestsBefore = slack.requests.length;
    const { result } = await execute("deleted-run", "failed");
    expect(result).toEqual({ runId: "deleted-run", skipped: "run not found" });
    expect(slack.requests.length).toBe(requestsBefore);
  });
});
