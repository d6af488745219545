// GET /api/health: the database, the engine's reachability and whether this app is registered
// at its serve URL. Unauthenticated callers get booleans only, never URLs or secrets.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";

let registeredApps: { name: string; url: string; error: string | null }[] = [];
const engine = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (request.url === "/health") return void response.writeHead(200, { "content-type": "application/json" }).end('{"status":200}');
    if (request.url === "/v0/gql") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { apps: registeredApps } }));
    response.writeHead(404).end();
  });
});
let engineUrl: string;
let route: typeof import("./route");

beforeAll(async () => {
  await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
  engineUrl = `http://127.0.0.1:${(engine.address() as AddressInfo).port}`;
  Object.assign(process.env, { INNGEST_DEV: engineUrl, FACTORY_PUBLIC_URL: "http://127.0.0.1:3999" });
  resetEnvCache();
  route = await import("./route");
});
beforeEach(() => {
  process.env.INNGEST_DEV = engineUrl;
  resetEnvCache();
});
afterAll(() => new Promise((resolve) => engine.close(resolve)));

const get = async (headers: Record<string, string> = {}) => {
  const response = await route.GET(new Request("http://127.0.0.1:3999/api/health", { headers }));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const asOperator = { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` };

describe("GET /api/health", () => {
  it("reports the engine reachable and the app registered, with booleans only when unauthenticated", async () => {
    registeredApps = [{ name: "dark-factory", url: "http://localhost:3999/api/inngest", error: null }];
    const anonymous = await get();
    expect(anonymous).toEqual({ status: 200, body: { ok: true, database: true, engine: { reachable: true, registered: true } } });
    const operator = await get(asOperator);
    expect(operator.body.engine).toMatchObject({ mode: "dev", url: engineUrl, serveUrl: "http://127.0.0.1:3999/api/inngest", registered: true, problem: null });
    expect(findCanaries(JSON.stringify(operator.body))).toEqual([]);
  });

  it("says not registered when the engine knows the app at another URL, or not at all", async () => {
    registeredApps = [{ name: "dark-factory", url: "http://evil.example/api/inngest", error: null }];
    expect((await get()).body.engine).toEqual({ reachable: true, registered: false });
    expect((await get(asOperator)).body.engine.problem).toContain("registered at http://evil.example/api/inngest");
    registeredApps = [];
    expect((await get(asOperator)).body.engine).toMatchObject({ registered: false, problem: 'no app "dark-factory" is registered' });
  });

  it("says unreachable when nothing answers at the engine URL, and stays up for its database", async () => {
    process.env.INNGEST_DEV = "http://127.0.0.1:9";
    resetEnvCache();
    const anonymous = await get();
    expect(anonymous).toEqual({ status: 200, body: { ok: true, database: true, engine: { reachable: false, registered: null } } });
    expect(JSON.stringify(anonymous.body)).not.toContain("127.0.0.1:9");
  });
});
