// The live event stream ends after the run's final event, with an `end` event, instead of
// staying open; a reconnect after the final event ends at once.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { finishRun } from "./run-lifecycle";
import { recordRunEvent, streamRunEvents } from "./run-events";

/** Reads the whole stream until the server closes it (the test times out if it never does). */
async function readToEnd(runId: string, afterSeq: number, whileOpen?: () => Promise<void>) {
  const abort = new AbortController();
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  const reader = streamRunEvents({ runId, afterSeq, signal: abort.signal }).getReader();
  const decoder = new TextDecoder();
  let isStarted = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
    if (!isStarted && whileOpen) {
      isStarted = true;
      void whileOpen();
    }
  }
  return messages;
}

describe("streamRunEvents", () => {
  it("ends right after the run's final event when the run finishes while the stream is open", async () => {
    const run = await db.run.create({ data: { title: "Stream end", spec: "s", budgetUsd: 1, status: "running" } });
    await recordRunEvent({ runId: run.id, type: "run.started", payload: {} });
    const messages = await readToEnd(run.id, 0, async () => {
      await recordRunEvent({ runId: run.id, type: "task.started", payload: { taskKey: "api", branch: "factory/api", baseBranch: "main", dependsOn: [] } });
      await finishRun({ runId: run.id, status: "succeeded", summary: "done" });
    });
    const types = messages.map((m) => (m.event === "end" ? "end" : JSON.parse(m.data).type));
    expect(types.at(-1)).toBe("end");
    expect(types.at(-2)).toBe("run.succeeded");
    expect(types).toContain("task.started");
  }, 20_000);

  it("ends at once on a reconnect after the final event, and sends the backlog first otherwise", async () => {
    const run = await db.run.create({ data: { title: "Stream end", spec: "s", budgetUsd: 1, status: "running" } });
    await recordRunEvent({ runId: run.id, type: "run.started", payload: {} });
    await finishRun({ runId: run.id, status: "failed", reason: "boom" });
    const fromStart = await readToEnd(run.id, 0);
    expect(fromStart.map((m) => m.event)).toEqual(["run-event", "run-event", "end"]);
    const lastId = Number(fromStart[1].id);
    const reconnect = await readToEnd(run.id, lastId);
    expect(reconnect.map((m) => m.event)).toEqual(["end"]);
  }, 20_000);

  it("stays open while the run is still going", async () => {
    const run = await db.run.create({ data: { title: "Stream open", spec: "s", budgetUsd: 1, status: "running" } });
    const abort = new AbortController();
    const reader = streamRunEvents({ runId: run.id, afterSeq: 0, signal: abort.signal }).getReader();
    const decoder = new TextDecoder();
    await recordRunEvent({ runId: run.id, type: "run.started", payload: {} });
    let text = "";
    while (!text.includes("run.started")) text += decoder.decode((await reader.read()).value, { stream: true });
    expect(text).not.toContain("event: end");
    abort.abort();
    expect((await reader.read()).done).toBe(true);
  }, 20_000);
});
