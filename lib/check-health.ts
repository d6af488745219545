// Liveness for load balancers, the launcher and operators: the database, and whether the
// workflow engine is reachable and has this app registered at its serve URL. Unauthenticated
// callers get booleans only; an authenticated operator also gets the URLs and the reason.
import { db } from "./db";

/** Each probe gets this long, so /api/health answers within a second even when a part is down. */
const probeTimeoutMs = 500;

export type EngineTarget = {
  /** The engine's base URL, or undefined for Inngest Cloud (not probed). */
  url: string | undefined;
  mode: "dev" | "self-hosted" | "cloud";
  appId: string;
  /** Where the engine should call this app, e.g. https://factory.example.com/api/inngest. */
  serveUrl: string;
};

export type Health = {
  ok: boolean;
  database: boolean;
  /** null when it cannot be told (Inngest Cloud, or an engine without the /v0/gql API). */
  engine: { reachable: boolean | null; registered: boolean | null };
};

export type HealthDetail = Health & {
  engine: Health["engine"] & { mode: EngineTarget["mode"]; url: string | null; serveUrl: string; registeredUrl: string | null; problem: string | null };
};

type SyncedApp = { name: string; url: string | null; error: string | null };

/** The dev server records loopback URLs as localhost. */
const sameUrl = (a: string, b: string) => a.replace("//localhost:", "//127.0.0.1:") === b.replace("//localhost:", "//127.0.0.1:");

async function probeDatabase(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

async function probeEngine(target: EngineTarget): Promise<HealthDetail["engine"]> {
  const base = { mode: target.mode, url: target.url ?? null, serveUrl: target.serveUrl };
  if (!target.url) return { ...base, reachable: null, registered: null, registeredUrl: null, problem: null };
  try {
    const health = await fetch(`${target.url}/health`, { signal: AbortSignal.timeout(probeTimeoutMs) });
    if (!health.ok) return { ...base, reachable: false, registered: null, registeredUrl: null, problem: `${target.url}/health answered ${health.status}` };
  } catch (error) {
    return { ...base, reachable: false, registered: null, registeredUrl: null, problem: `cannot reach ${target.url}: ${(error as Error).message}` };
  }
  try {
    const response = await fetch(`${target.url}/v0/gql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ apps { name url error } }" }),
      signal: AbortSignal.timeout(probeTimeoutMs),
    });
    const body = (await response.json()) as { data?: { apps?: SyncedApp[] } };
    if (!response.ok || !body.data?.apps) return { ...base, reachable: true, registered: null, registeredUrl: null, problem: "the engine does not list its apps" };
    const app = body.data.apps.find((candidate) => candidate.name === target.appId);
    const registered = Boolean(app?.url && sameUrl(app.url, target.serveUrl) && !app.error);
    const problem = !app ? `no app "${target.appId}" is registered` : app.error ? `the last sync failed: ${app.error}` : registered ? null : `"${target.appId}" is registered at ${app.url}, not ${target.serveUrl}`;
    return { ...base, reachable: true, registered, registeredUrl: app?.url ?? null, problem };
  } catch {
    return { ...base, reachable: true, registered: null, registeredUrl: null, problem: "the engine does not list its apps" };
  }
}

/** `ok` is the database: the app serves its UI and API without the engine (runs then answer 503). */
export async function checkHealth(options: { engine: EngineTarget; isDetailed: boolean }): Promise<Health | HealthDetail> {
  const [database, engine] = await Promise.all([probeDatabase(), probeEngine(options.engine)]);
  if (options.isDetailed) return { ok: database, database, engine };
  return { ok: database, database, engine: { reachable: engine.reachable, registered: engine.registered } };
}
