// The real Inngest server, for the dev launcher, the real-engine test suite, CI and the
// benchmarks: which binary, and the exact command line for `inngest dev` and `inngest start`.
// The server reads INNGEST_* variables and any inngest.json/yaml above its working directory as
// its own configuration, so it always gets explicit flags, a clean environment and its own cwd.
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export type InngestBinary = { path: string; source: "INNGEST_BIN" | "inngest-cli" | "shared-tools" };

/**
 * INNGEST_BIN when set; else the `inngest-cli` optional dependency's binary when it installed;
 * else `../shared/tools/inngest` (built from source on machines that cannot download it).
 */
export function resolveInngestBinary(env: Record<string, string | undefined> = process.env): InngestBinary | undefined {
  if (env.INNGEST_BIN) return { path: path.resolve(env.INNGEST_BIN), source: "INNGEST_BIN" };
  const cli = path.join(root, "node_modules", "inngest-cli", "bin", "inngest");
  if (existsSync(cli)) return { path: cli, source: "inngest-cli" };
  const shared = path.resolve(root, "..", "shared", "tools", "inngest");
  if (existsSync(shared)) return { path: shared, source: "shared-tools" };
  return undefined;
}

/** The four ports one server listens on: API, connect gateway, and the two connect gRPC ports. */
export type EnginePorts = { api: number; gateway: number; gatewayGrpc: number; executorGrpc: number };

/** Four consecutive ports from `api`, so two servers never collide when their API ports differ by 4+. */
export function enginePortsFrom(api: number): EnginePorts {
  return { api, gateway: api + 1, gatewayGrpc: api + 2, executorGrpc: api + 3 };
}

export type EngineMode =
  | { kind: "dev" }
  | { kind: "start"; eventKey: string; signingKey: string; sqliteDir: string; postgresUri?: string; redisUri?: string };

/** Arguments for `inngest dev` or `inngest start`; the same flags the compose file uses. */
export function engineArgs(options: { mode: EngineMode; ports: EnginePorts; appServeUrl?: string; host?: string; retryIntervalSec?: number }): string[] {
  const { mode, ports } = options;
  const args: string[] = [mode.kind];
  if (mode.kind === "dev") args.push("--no-discovery");
  if (mode.kind === "start") {
    args.push("--event-key", mode.eventKey, "--signing-key", mode.signingKey, "--sqlite-dir", mode.sqliteDir);
    if (mode.postgresUri) args.push("--postgres-uri", mode.postgresUri);
    if (mode.redisUri) args.push("--redis-uri", mode.redisUri);
  }
  if (options.appServeUrl) args.push("-u", options.appServeUrl);
  if (options.host) args.push("--host", options.host);
  args.push(
    "--port", String(ports.api),
    "--connect-gateway-port", String(ports.gateway),
    "--connect-gateway-grpc-port", String(ports.gatewayGrpc),
    "--connect-executor-grpc-port", String(ports.executorGrpc),
  );
  if (options.retryIntervalSec) args.push("--retry-interval", String(options.retryIntervalSec));
  return args;
}

/** The environment for the server: the caller's, minus every INNGEST_* variable it would read as a flag. */
export function engineEnv(source: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(source).filter(([name]) => !name.startsWith("INNGEST_")));
}
