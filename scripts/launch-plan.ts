// What `npm run dev` and `npm start` launch, decided from the environment alone (no side
// effects), so the security rules are testable: production never serves unsigned workflow
// calls by accident, and dev listens on loopback, with a signed engine of its own.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Env } from "@/lib/env";
import { engineArgs, engineEnv, enginePortsFrom, type InngestBinary } from "./inngest-engine";

export type LaunchMode = "dev" | "start";

export type ChildPlan = { name: string; command: string; args: string[]; cwd: string; env: Record<string, string | undefined> };

export type LaunchPlan =
  | { ok: false; error: string }
  | { ok: true; port: number; appUrl: string; next: ChildPlan; engine?: ChildPlan; notes: string[] };

/** Loopback only: a dev server (and its unsigned workflow endpoint) is never reachable from the network. */
export const devHost = "127.0.0.1";

/** The dev engine's API port: 8288 for the app on 3000, and a different one for every other app port. */
export function devEnginePort(appPort: number): number {
  return appPort + 5288;
}

export function isDevEngineChosen(env: Pick<Env, "INNGEST_DEV">): boolean {
  return Boolean(env.INNGEST_DEV) && env.INNGEST_DEV !== "0" && env.INNGEST_DEV !== "false";
}

export const missingInngestKeysMessage =
  "Refusing to start in production without INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY: without them /api/inngest " +
  "would accept unsigned workflow calls from anyone who can reach this port. Set both to your Inngest server's keys " +
  "(self-hosted `inngest start --signing-key … --event-key …`, or Inngest Cloud), or, to use a local dev engine on " +
  "purpose, set INNGEST_DEV to its URL (e.g. INNGEST_DEV=http://127.0.0.1:8288).";

/** Why this environment must not launch in this mode, or undefined when it may. */
export function refuseLaunch(mode: LaunchMode, env: Env): string | undefined {
  const hasKeys = Boolean(env.INNGEST_SIGNING_KEY && env.INNGEST_EVENT_KEY);
  if (mode === "start" && !hasKeys && !isDevEngineChosen(env)) return missingInngestKeysMessage;
  return undefined;
}

export type EngineKeys = { signingKey: string; eventKey: string };

/** Fresh keys for a local engine: the signing key as the plain even-length hex `inngest start` wants. */
export function generateEngineKeys(): EngineKeys {
  return { signingKey: randomBytes(32).toString("hex"), eventKey: randomBytes(16).toString("hex") };
}

export function planLaunch(options: {
  mode: LaunchMode;
  env: Env;
  processEnv: Record<string, string | undefined>;
  root: string;
  dataDir: string;
  databaseUrl: string;
  apiToken: string;
  engineBinary: InngestBinary | undefined;
  /** Keys of the dev engine (kept in the data dir), so its calls to /api/inngest are signed. */
  engineKeys?: EngineKeys;
}): LaunchPlan {
  const { mode, env, root } = options;
  const port = env.PORT ?? 3000;
  const hasKeys = Boolean(env.INNGEST_SIGNING_KEY && env.INNGEST_EVENT_KEY);
  const isDevChosen = isDevEngineChosen(env);
  const refusal = refuseLaunch(mode, env);
  if (refusal) return { ok: false, error: refusal };

  const notes: string[] = [];
  const appUrl = env.FACTORY_PUBLIC_URL ?? `http://localhost:${port}`;
  const appEnv: Record<string, string | undefined> = {
    ...options.processEnv,
    DATABASE_URL: options.databaseUrl,
    FACTORY_API_TOKEN: options.apiToken,
    FACTORY_PUBLIC_URL: appUrl,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: options.processEnv.NEXT_TELEMETRY_DISABLED ?? "1",
  };

  let engine: ChildPlan | undefined;
  if (mode === "start" && isDevChosen) {
    notes.push(`[inngest] WARNING: INNGEST_DEV is set, so /api/inngest runs in dev mode and accepts unsigned calls. Only do this on a machine nobody else can reach.`);
  }
  if (mode === "dev" && !hasKeys && !isDevChosen) {
    // An engine of our own, on a port derived from the app's: two checkouts never share one.
    // It runs as a self-hosted server with keys, not as `inngest dev`: its connect gateway ports
    // listen on every interface whatever --host says, and only keys make them refuse strangers.
    const ports = enginePortsFrom(devEnginePort(port));
    const engineUrl = `http://${devHost}:${ports.api}`;
    const serveOrigin = `http://${devHost}:${port}`;
    appEnv.INNGEST_SERVE_ORIGIN = env.INNGEST_SERVE_ORIGIN ?? serveOrigin;
    if (options.engineBinary && options.engineKeys) {
      const { signingKey, eventKey } = options.engineKeys;
      const cwd = path.join(options.dataDir, "inngest");
      Object.assign(appEnv, { INNGEST_DEV: "0", INNGEST_BASE_URL: engineUrl, INNGEST_SIGNING_KEY: signingKey, INNGEST_EVENT_KEY: eventKey });
      engine = {
        name: "Inngest server",
        command: options.engineBinary.path,
        args: engineArgs({ mode: { kind: "start", signingKey, eventKey, sqliteDir: path.join(cwd, "state") }, ports, appServeUrl: `${serveOrigin}/api/inngest`, host: devHost }),
        cwd,
        env: engineEnv(options.processEnv),
      };
      notes.push(`[inngest] Inngest server on ${engineUrl}, signed with keys kept in ${path.join(options.dataDir, "inngest-keys.json")} (${options.engineBinary.source}: ${options.engineBinary.path})`);
    } else {
      appEnv.INNGEST_DEV = engineUrl;
      notes.push(
        `[inngest] No Inngest server found (INNGEST_BIN, the inngest-cli package, ../shared/tools/inngest); runs cannot start until one runs: ` +
          `npx inngest-cli@latest dev --no-discovery -u ${serveOrigin}/api/inngest --port ${ports.api}`,
      );
    }
  }

  const nextArgs = mode === "dev" ? ["dev", "-p", String(port), "-H", devHost] : ["start", "-p", String(port)];
  const next: ChildPlan = { name: "Next.js", command: path.join(root, "node_modules", ".bin", "next"), args: nextArgs, cwd: root, env: appEnv };
  return { ok: true, port, appUrl, next, engine, notes };
}
