// Stands in for Inngest's Event API (POST /e/:eventKey -> { ids, status }) so the app's real
// Inngest client can send events in tests. It records them; it runs no functions.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedEvent = { name: string; data: Record<string, unknown>; id?: string };

export async function startFakeInngestEventApi(options: { onEvents?: (events: ReceivedEvent[]) => void | Promise<void> } = {}) {
  const events: ReceivedEvent[] = [];
  let failuresLeft = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", async () => {
      if (request.method !== "POST" || !request.url?.startsWith("/e/")) {
        response.writeHead(404).end();
        return;
      }
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ status: 500, error: "fake outage" }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedEvent | ReceivedEvent[];
      const batch = Array.isArray(body) ? body : [body];
      events.push(...batch);
      await options.onEvents?.(batch);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ids: batch.map(() => randomUUID()), status: 200 }));
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
