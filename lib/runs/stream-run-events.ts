// Server-Sent Events for one run: the backlog after Last-Event-ID, then live events.
import { getRunEventListener } from "./run-event-listener";
import { listRunEventsAfter } from "./list-run-events";

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
      // Serialised so events go out once each and in order, however notifications interleave.
      const drain = () => {
        draining = draining.then(async () => {
          while (!isClosed) {
            const events = await listRunEventsAfter({ runId: options.runId, afterSeq: lastSeq });
            for (const event of events) {
              send(`id: ${event.id}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`);
              lastSeq = event.id;
            }
            if (events.length < 500) break;
          }
        }).catch((error) => {
          console.error("[factory] event stream failed", error);
          close();
        });
        return draining;
      };

      options.signal.addEventListener("abort", close);
      send("retry: 2000\n\n");
      // Subscribe before reading the backlog so nothing committed in between is missed.
      cleanups.push(await getRunEventListener().subscribe(options.runId, () => void drain()));
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
