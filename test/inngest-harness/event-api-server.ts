// Serves Inngest's Event API (POST /e/:eventKey -> { ids, status: 200 }) on 127.0.0.1, so the
// app's real Inngest client (INNGEST_DEV=<url>) delivers its events into the harness.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type IncomingEvent = { id?: string; name: string; data?: Record<string, unknown>; ts?: number; v?: string };

export async function startEventApiServer(onEvents: (events: IncomingEvent[]) => string[]) {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const reply = (status: number, body: unknown) =>
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (request.method !== "POST" || !/^\/e\/[^/]+\/?$/.test(new URL(request.url ?? "/", "http://x").pathname)) {
        return reply(404, { status: 404, error: "the harness serves only POST /e/:eventKey" });
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as IncomingEvent | IncomingEvent[];
        reply(200, { ids: onEvents(Array.isArray(body) ? body : [body]), status: 200 });
      } catch (error) {
        reply(400, { status: 400, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
