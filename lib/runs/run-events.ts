// A run's event log: recording, listing, and streaming it live over SSE.
import pg from "pg";
import { db, databaseUrlOrThrow, resolveConnection } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma, RunEvent } from "@/lib/generated/prisma/client";
import type { RunEventDto } from "./run-dto";
import { runEventPayloadSchemas, type RunEventPayload, type RunEventType } from "./run-event-types";
import { runProgressSelect, toRunProgressDto } from "./to-run-dto";

type Tx = Prisma.TransactionClient;

export type RecordRunEventInput<T extends RunEventType = RunEventType> = {
  runId: string;
  type: T;
  payload: RunEventPayload<T>;
  costDeltaUsd?: number | string;
};

/**
 * Appends a RunEvent with the run's next `seq`. Pass the transaction of the state change it
 * describes so both commit together. Bumping Run.lastEventSeq locks the run row until commit,
 * so a run's events commit in seq order and a stream reading "after seq N" never skips one.
 * A database trigger announces each event (pg_notify) when it commits.
 */
export async function recordRunEvent<T extends RunEventType>(input: RecordRunEventInput<T>, tx?: Tx): Promise<RunEvent> {
  if (!tx) return db.$transaction((inner) => recordRunEvent(input, inner));
  const payload = runEventPayloadSchemas[input.type].safeParse(input.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new AppError("internal", `Run event ${input.type} has an invalid payload at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, { isRetryable: false });
  }
  const { lastEventSeq } = await tx.run.update({
    where: { id: input.runId },
    data: { lastEventSeq: { increment: 1 } },
    select: { lastEventSeq: true },
  });
  return tx.runEvent.create({
    data: {
      runId: input.runId,
      seq: lastEventSeq,
      type: input.type,
      payload: payload.data as Prisma.InputJsonValue,
      costDeltaUsd: input.costDeltaUsd ?? 0,
    },
  });
}

/** Events of a run with seq > afterSeq, oldest first, each carrying the run's current progress. */
async function listRunEventsAfter(options: { runId: string; afterSeq: number; limit?: number }): Promise<RunEventDto[]> {
  const [events, run] = await Promise.all([
    db.runEvent.findMany({
      where: { runId: options.runId, seq: { gt: options.afterSeq } },
      orderBy: { seq: "asc" },
      take: options.limit ?? 500,
    }),
    db.run.findUnique({ where: { id: options.runId }, select: runProgressSelect }),
  ]);
  if (!run) return [];
  const progress = toRunProgressDto(run);
  return events.map((event) => ({
    id: event.seq,
    runId: event.runId,
    type: event.type,
    payload: event.payload,
    costDeltaUsd: event.costDeltaUsd.toNumber(),
    createdAt: event.createdAt.toISOString(),
    run: progress,
  }));
}

// One LISTEN connection per server process, shared by every open event stream. The
// "run_events" channel is fed by a trigger on RunEvent inserts (see migrations).
type Subscriber = (seq: number) => void;

class RunEventListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  /** Calls `onEvent` with the seq of each event committed for the run; returns unsubscribe. */
  async subscribe(runId: string, onEvent: Subscriber): Promise<() => void> {
    let set = this.subscribers.get(runId);
    if (!set) this.subscribers.set(runId, (set = new Set()));
    set.add(onEvent);
    await this.ensureConnected();
    return () => {
      set.delete(onEvent);
      if (set.size === 0) this.subscribers.delete(runId);
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: resolveConnection(databaseUrlOrThrow()).connectionString });
    client.on("notification", (message) => this.dispatch(message.payload));
    client.on("error", (error) => {
      console.error("[factory] run event listener lost its connection; reconnecting", error.message);
      this.client = undefined;
      client.end().catch(() => undefined);
      // Streams also poll slowly, so nothing is lost while we reconnect.
      setTimeout(() => this.subscribers.size && this.ensureConnected().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query("LISTEN run_events");
    this.client = client;
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    try {
      const { runId, seq } = JSON.parse(payload) as { runId: string; seq: number };
      for (const subscriber of this.subscribers.get(runId) ?? []) subscriber(seq);
    } catch {
      // A malformed payload cannot come from our trigger; ignore it.
    }
  }
}

declare global {
  /** One listener (one LISTEN connection) per process, kept across Next's dev-server module reloads. */
  var factoryRunEventListener: RunEventListener | undefined;
}
const globalForListener = globalThis;

function getRunEventListener(): RunEventListener {
  globalForListener.factoryRunEventListener ??= new RunEventListener();
  return globalForListener.factoryRunEventListener;
}

// Server-Sent Events for one run: the backlog after Last-Event-ID, then live events, until
// the run's final event (run.succeeded / failed / cancelled / budget_exhausted). Then an `end`
// event tells the browser to stop reconnecting, and the stream closes; so does a reconnect
// that arrives after the final event was sent.
/** Event types that end a run; each run records exactly one of them. */
const finalRunEventTypes = ["run.succeeded", "run.failed", "run.cancelled", "run.budget_exhausted"];

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
