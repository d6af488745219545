// Server-Sent Events for one run: the backlog after Last-Event-ID, then live events, until
// the run's final event (run.succeeded / failed / cancelled / budget_exhausted). Then an `end`
// event tells the browser to stop reconnecting, and the stream closes; so does a reconnect
// that arrives after the final event was sent.
import { db } from "../db";
import { getRunEventListener } from "./run-event-listener";
import { listRunEventsAfter } from "./list-run-events";

/** Event types that end a run; each run records exactly one of them. */
export const finalRunEventTypes = ["run.succeeded", "run.failed", "run.cancelled", "run.budget_exhausted"];

async function hasFinalEventUpTo(runId: string, seq: number): Promise<boolean> {
  const found = await db.runEvent.findFirst({ where: { runId, seq: { lte: seq }, type: { in: finalRunEventTypes } }, select: { seq: true } });
  return found !== null;
}

const heartbeatMs = 15_000;
/** Safety net if a notification is ever missed (e.g. while the listener reconnects). */
const pollMs = 10_000;

export function streamRunEvents(options: { runId: string; afterSeq: number; signal: AbortSignal }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let lastSeq = options.afterSeq;
  let draining: Promise<void> = Promise.resolve();
  const cleanups: (() => void)[] = [];

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let isClosed = false;
      const close = () => {
        if (isClosed) return;
        isClosed = true;
        cleanups.forEach((cleanup) => cleanup());
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const send = (text: string) => {
        if (!isClosed) controller.enqueue(encoder.encode(text));
      };
      let hasSentFinal = false;
      const end = () => {
        send(`event: end\ndata: ${JSON.stringify({ lastEventId: lastSeq })}\n\n`);
        close();
      };
      // Serialised so events go out once each and in order, however notifications interleave.
      const drain = () => {
        draining = draining.then(async () => {
          while (!isClosed) {
            const events = await listRunEventsAfter({ runId: options.runId, afterSeq: lastSeq });
            for (const event of events) {
              send(`id: ${event.id}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`);
              lastSeq = event.id;
              if (finalRunEventTypes.includes(event.type)) hasSentFinal = true;
            }
            if (events.length < 500) break;
          }
          if (hasSentFinal) end();
        }).catch((error) => {
          console.error("[factory] event stream failed", error);
          close();
        });
        return draining;
      };

      options.signal.addEventListener("abort", close);
      send("retry: 2000\n\n");
      // A reconnect after the final event has nothing left to wait for.
      if (options.afterSeq > 0 && (await hasFinalEventUpTo(options.runId, options.afterSeq))) {
        end();
        return;
      }
      // Subscribe before reading the backlog so nothing committed in between is missed.
      const unsubscribe = await getRunEventListener().subscribe(options.runId, () => void drain());
      if (isClosed) return unsubscribe(); // the client left while we subscribed
      cleanups.push(unsubscribe);
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), heartbeatMs);
      const poll = setInterval(() => void drain(), pollMs);
      cleanups.push(() => clearInterval(heartbeat), () => clearInterval(poll));
      await drain();
    },
    cancel() {
      cleanups.forEach((cleanup) => cleanup());
    },
  });
}
