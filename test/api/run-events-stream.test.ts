// GET /api/runs/:id/events: backlog after Last-Event-ID, then live events via LISTEN/NOTIFY,
// in order, once each, across reconnects.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { recordRunEvent } from "@/lib/runs/run-events";
import { secretCanaries } from "@/test/secret-canaries";

const eventsRoute = await import("@/app/api/runs/[id]/events/route");
const auth = { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` };

async function createRunWithEvents(count: number) {
  const run = await db.run.create({ data: { title: "Stream", spec: "s", budgetUsd: 1 } });
  for (let i = 0; i < count; i++) await recordRunEvent({ runId: run.id, type: "follow-up.started", payload: { followUpId: `backlog-${i}` } });
  return run.id;
}

/** Opens the stream and collects messages until `until` holds; then disconnects. */
async function readStream(runId: string, until: (messages: EventSourceMessage[]) => boolean, headers: Record<string, string> = {}, whileOpen?: () => Promise<void>) {
  const abort = new AbortController();
  const response = await eventsRoute.GET(new Request(`http://localhost/api/runs/${runId}/events`, { headers: { ...auth, ...headers }, signal: abort.signal }), {
    params: Promise.resolve({ id: runId }),
  });
  expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let started = false;
  while (!until(messages)) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
    if (!started && whileOpen) {
      started = true;
      void whileOpen();
    }
  }
  abort.abort();
  await reader.cancel();
  return messages;
}

describe("run event stream", () => {
  it("sends the backlog, then live events in order without duplicates", async () => {
    const runId = await createRunWithEvents(3);
    const messages = await readStream(
      runId,
      (m) => m.length >= 6,
      {},
      async () => {
        for (let i = 0; i < 3; i++) await recordRunEvent({ runId, type: "follow-up.started", payload: { followUpId: `live-${i}` } });
      },
    );
    expect(messages.map((m) => m.id)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(messages.map((m) => JSON.parse(m.data).payload.followUpId)).toEqual(["backlog-0", "backlog-1", "backlog-2", "live-0", "live-1", "live-2"]);
    expect(JSON.parse(messages[5].data).run).toMatchObject({ status: "queued", spentUsd: 0 });
  });

  it("resumes after Last-Event-ID, missing and repeating nothing", async () => {
    const runId = await createRunWithEvents(5);
    const first = await readStream(runId, (m) => m.length >= 2);
    expect(first.map((m) => m.id)).toEqual(["1", "2"]);
    await recordRunEvent({ runId, type: "follow-up.started", payload: { followUpId: "while-disconnected" } });
    const second = await readStream(runId, (m) => m.length >= 4, { "last-event-id": "2" });
    expect(second.map((m) => m.id)).toEqual(["3", "4", "5", "6"]);
  });

  it("keeps commit order when events are recorded concurrently", async () => {
    const runId = await createRunWithEvents(0);
    const messages = await readStream(runId, (m) => m.length >= 20, {}, async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => recordRunEvent({ runId, type: "follow-up.started", payload: { followUpId: `parallel-${i}` } })));
    });
    expect(messages.map((m) => Number(m.id))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("answers 404 for an unknown run and 401 without a token", async () => {
    const unknown = await eventsRoute.GET(new Request("http://localhost", { headers: auth }), { params: Promise.resolve({ id: "missing" }) });
    expect(unknown.status).toBe(404);
    const anonymous = await eventsRoute.GET(new Request("http://localhost"), { params: Promise.resolve({ id: "missing" }) });
    expect(anonymous.status).toBe(401);
  });
});
