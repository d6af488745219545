// The launchers' security rules: production refuses to serve unsigned workflow calls unless a
// dev engine is chosen on purpose; dev listens on loopback only, with an engine of its own.
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { devEnginePort, planLaunch } from "./launch-plan";

const root = path.resolve(import.meta.dirname, "..");

/** `npm start` as an operator runs it, with the INNGEST_* variables given (empty = unset). */
function runStart(inngestEnv: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, "node_modules", ".bin", "tsx"),
      [path.join(root, "scripts", "start.ts")],
      {
        cwd: root,
        timeout: 60_000,
        env: {
          ...process.env,
          NODE_ENV: "production",
          // Nothing listens here: a refusal must come before the database is even contacted.
          DATABASE_URL: "postgresql://nobody:nothing@127.0.0.1:9/none",
          INNGEST_DEV: "", INNGEST_SIGNING_KEY: "", INNGEST_EVENT_KEY: "", INNGEST_BASE_URL: "",
          ...inngestEnv,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr }),
    );
  });
}

describe("npm start without Inngest keys", () => {
  it("refuses to start, naming both variables, when neither key is set", async () => {
    const { code, output } = await runStart({});
    expect(code).toBe(1);
    expect(output).toContain("INNGEST_SIGNING_KEY");
    expect(output).toContain("INNGEST_EVENT_KEY");
    expect(output).toContain("Refusing to start in production");
    expect(output).not.toContain("[db]");
  });

  it("refuses with only the signing key set", async () => {
    const { code, output } = await runStart({ INNGEST_SIGNING_KEY: "0123456789abcdef0123456789abcdef" });
    expect(code).toBe(1);
    expect(output).toMatch(/without INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY/);
  });
});

const base = { root, dataDir: "/tmp/factory-data", databaseUrl: "postgresql://u:p@127.0.0.1:5432/db", apiToken: "t".repeat(20) };
const engineBinary = { path: "/opt/inngest", source: "INNGEST_BIN" as const };
const engineKeys = { signingKey: "ab".repeat(32), eventKey: "cd".repeat(16) };

describe("launch plan", () => {
  it("production with keys serves signed calls only: no dev engine, no INNGEST_DEV", () => {
    const env = parseEnv({ INNGEST_SIGNING_KEY: "abcd", INNGEST_EVENT_KEY: "k", PORT: "4100" });
    const plan = planLaunch({ ...base, mode: "start", env, processEnv: {}, engineBinary });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.engine).toBeUndefined();
    expect(plan.next.args).toEqual(["start", "-p", "4100"]);
    expect(plan.next.env.INNGEST_DEV).toBeUndefined();
  });

  it("production with INNGEST_DEV set on purpose starts, with a loud warning", () => {
    const env = parseEnv({ INNGEST_DEV: "http://127.0.0.1:8288" });
    const plan = planLaunch({ ...base, mode: "start", env, processEnv: {}, engineBinary });
    expect(plan.ok && plan.notes.join("\n")).toMatch(/WARNING: INNGEST_DEV is set.*unsigned/);
  });

  it("dev binds Next.js and its engine to 127.0.0.1, signs the engine's calls with its keys, and derives the engine's ports from the app's", () => {
    const env = parseEnv({ PORT: "3000" });
    const plan = planLaunch({ ...base, mode: "dev", env, processEnv: { INNGEST_SIGNING_KEY: "", INNGEST_PORT: "1", PATH: "/usr/bin" }, engineBinary, engineKeys });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.next.args).toEqual(["dev", "-p", "3000", "-H", "127.0.0.1"]);
    // The app talks to it as to any self-hosted server: signed calls only, no dev mode.
    expect(plan.next.env).toMatchObject({
      INNGEST_DEV: "0", INNGEST_BASE_URL: "http://127.0.0.1:8288", INNGEST_SERVE_ORIGIN: "http://127.0.0.1:3000",
      INNGEST_SIGNING_KEY: engineKeys.signingKey, INNGEST_EVENT_KEY: engineKeys.eventKey,
    });
    // `inngest start`, not `inngest dev`: its connect ports listen on every interface, so they must refuse unsigned workers.
    expect(plan.engine?.args).toEqual([
      "start", "--event-key", engineKeys.eventKey, "--signing-key", engineKeys.signingKey, "--sqlite-dir", "/tmp/factory-data/inngest/state",
      "-u", "http://127.0.0.1:3000/api/inngest", "--host", "127.0.0.1",
      "--port", "8288", "--connect-gateway-port", "8289", "--connect-gateway-grpc-port", "8290", "--connect-executor-grpc-port", "8291",
    ]);
    // The engine reads INNGEST_* as its own flags, and an inngest.json above its cwd.
    expect(Object.keys(plan.engine!.env).filter((name) => name.startsWith("INNGEST_"))).toEqual([]);
    expect(plan.engine!.cwd).toBe("/tmp/factory-data/inngest");
  });

  it("dev without an engine binary prints how to start one and points the app at it", () => {
    const plan = planLaunch({ ...base, mode: "dev", env: parseEnv({ PORT: "3000" }), processEnv: {}, engineBinary: undefined });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.engine).toBeUndefined();
    expect(plan.next.env.INNGEST_DEV).toBe("http://127.0.0.1:8288");
    expect(plan.notes.join("\n")).toMatch(/No Inngest server found.*inngest-cli@latest dev/);
  });

  it("two dev instances on different app ports never share an engine", () => {
    const ports = (appPort: number) => {
      const plan = planLaunch({ ...base, mode: "dev", env: parseEnv({ PORT: String(appPort) }), processEnv: {}, engineBinary, engineKeys });
      if (!plan.ok || !plan.engine) throw new Error("expected an engine");
      return plan.engine.args.filter((arg) => /^\d+$/.test(arg)).map(Number);
    };
    const first = ports(3000);
    const second = ports(3004);
    expect(first.filter((port) => second.includes(port))).toEqual([]);
    expect(devEnginePort(3004)).toBe(8292);
  });

  it("dev with the operator's own engine (INNGEST_DEV) starts none", () => {
    const plan = planLaunch({ ...base, mode: "dev", env: parseEnv({ INNGEST_DEV: "http://127.0.0.1:9999" }), processEnv: {}, engineBinary });
    expect(plan.ok && plan.engine).toBeUndefined();
  });
});
