// PUT /api/inngest (a sync) with a forged Host: the app never registers that host with the
// engine. Unsigned syncs are refused; signed ones register the fixed FACTORY_PUBLIC_URL origin.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";

const signingKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const registrations: { url: string }[] = [];
const engine = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    if (request.url?.startsWith("/fn/register")) registrations.push(JSON.parse(body) as { url: string });
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, modified: true }));
  });
});
let route: typeof import("./route");

beforeAll(async () => {
  await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    INNGEST_DEV: "",
    INNGEST_BASE_URL: `http://127.0.0.1:${(engine.address() as AddressInfo).port}`,
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: "event-key",
    FACTORY_PUBLIC_URL: "https://factory.example.com",
  });
  resetEnvCache();
  route = await import("./route");
});
afterAll(() => new Promise((resolve) => engine.close(resolve)));

function forgedSync(headers: Record<string, string> = {}, body = "") {
  return new Request("http://evil.example/api/inngest", { method: "PUT", headers: { host: "evil.example", ...headers }, body });
}

describe("PUT /api/inngest", () => {
  it("refuses an unsigned sync with a forged Host, and registers nothing", async () => {
    const response = await route.PUT(forgedSync() as never, undefined as never);
    expect(response.status).toBe(401);
    expect(registrations).toEqual([]);
  });

  it("registers the fixed public origin, never the request's Host, on a signed sync", async () => {
    const body = JSON.stringify({ url: "http://evil.example/api/inngest" });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = createHmac("sha256", signingKey).update(body + ts).digest("hex");
    const response = await route.PUT(forgedSync({ "x-inngest-signature": `t=${ts}&s=${signature}`, "content-type": "application/json" }, body) as never, undefined as never);
    expect(response.status).toBe(200);
    expect(registrations.map((r) => r.url)).toEqual(["https://factory.example.com/api/inngest"]);
  });
});
