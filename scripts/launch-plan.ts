// What `npm run dev` and `npm start` launch, decided from the environment alone (no side
// effects), so the security rules are testable: production never serves unsigned workflow
// calls by accident, and dev listens on loopback only, with an engine of its own.
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

export function planLaunch(options: {
  mode: LaunchMode;
  env: Env;
  processEnv: Record<string, string | undefined>;
  root: string;
  dataDir: string;
  databaseUrl: string;
  apiToken: string;
  engineBinary: InngestBinary | undefined;
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
    const ports = enginePortsFrom(devEnginePort(port));
    const engineUrl = `http://${devHost}:${ports.api}`;
    const serveOrigin = `http://${devHost}:${port}`;
    Object.assign(appEnv, { INNGEST_DEV: engineUrl, INNGEST_SERVE_ORIGIN: env.INNGEST_SERVE_ORIGIN ?? serveOrigin });
    if (options.engineBinary) {
      engine = {
        name: "Inngest Dev Server",
        command: options.engineBinary.path,
        args: engineArgs({ mode: { kind: "dev" }, ports, appServeUrl: `${serveOrigin}/api/inngest`, host: devHost }),
        cwd: path.join(options.dataDir, "inngest"),
        env: engineEnv(options.processEnv),
      };
      notes.push(`[inngest] Dev Server on ${engineUrl} (${options.engineBinary.source}: ${options.engineBinary.path})`);
    } else {
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
