// A local stand-in for Inngest's Event API (POST /e/:eventKey -> { ids, status: 200 }), so
// tests exercise the real inngest.send path. Point INNGEST_DEV at `url`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedEvent = { id?: string; name: string; data: Record<string, unknown> };

export async function startFakeInngestEvents() {
  const events: ReceivedEvent[] = [];
  let failuresLeft = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.startsWith("/e/")) {
        res.writeHead(404).end();
        return;
      }
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ status: 500, error: "fake outage" }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as ReceivedEvent | ReceivedEvent[];
      const batch = Array.isArray(body) ? body : [body];
      events.push(...batch);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ids: batch.map((e, i) => e.id ?? `evt-${events.length + i}`), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    /** The next n sends fail with a 500, as an Inngest outage would. */
    failNext(n: number) {
      failuresLeft = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
