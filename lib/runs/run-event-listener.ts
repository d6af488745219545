// One LISTEN connection per server process, shared by every open event stream. The
// "run_events" channel is fed by a trigger on RunEvent inserts (see migrations).
import pg from "pg";
import { databaseUrlOrThrow, resolveConnection } from "../db";

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

export function getRunEventListener(): RunEventListener {
  globalForListener.factoryRunEventListener ??= new RunEventListener();
  return globalForListener.factoryRunEventListener;
}
