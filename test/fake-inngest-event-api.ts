// Stands in for Inngest's Event API (POST /e/:key -> { ids, status }) so the app's real
// Inngest client can send events in tests. It records them; `onEvents` lets a caller act on
// them (the in-process harness runs functions) and choose their ids.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedEvent = { id?: string; name: string; data?: Record<string, unknown>; ts?: number; v?: string };

export async function startFakeInngestEventApi(
  options: { onEvents?: (events: ReceivedEvent[]) => string[] | void | Promise<string[] | void> } = {},
) {
  const events: ReceivedEvent[] = [];
  let failuresLeft = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", async () => {
      const reply = (status: number, body: unknown) =>
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (request.method !== "POST" || !/^\/e\/[^/]+\/?$/.test(new URL(request.url ?? "/", "http://x").pathname)) {
        return reply(404, { status: 404, error: "only POST /e/:eventKey is served" });
      }
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        return reply(500, { status: 500, error: "fake outage" });
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedEvent | ReceivedEvent[];
        const batch = Array.isArray(body) ? body : [body];
        events.push(...batch);
        const ids = (await options.onEvents?.(batch)) ?? batch.map(() => randomUUID());
        reply(200, { ids, status: 200 });
      } catch (error) {
        reply(400, { status: 400, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    /** The next n sends fail with a 500, as an Inngest outage would. */
    failNext(n: number) {
      failuresLeft = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
