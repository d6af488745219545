// Write pacing per credential, as GitHub's secondary-rate-limit guidance asks: one mutating
// request at a time per token, a gap after each, GitHub's retry-after honoured for the next
// write; different credentials never wait for each other, and reads are not paced. Observed by a
// local server that records when each request started and ended.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "./github-client";

type Seen = { token: string; method: string; startedAt: number; endedAt: number };
const seen: Seen[] = [];
let retryAfterOnce: string | null = null;
/** When set, the server answers nothing until this many requests are in flight at once (or 10 s passed). */
let answerWhenInFlight: number | null = null;
let inFlight = 0;
let maxInFlight = 0;
const waiting: (() => void)[] = [];
let server: Server;
let baseUrl: string;
const responseDelayMs = 40;

beforeAll(async () => {
  server = createServer((req, res) => {
    const startedAt = Date.now();
    const token = String(req.headers.authorization ?? "").split(" ")[1];
    req.resume();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    req.on("end", async () => {
      // A barrier rather than a race against the clock: concurrent requests provably overlap.
      if (answerWhenInFlight !== null && inFlight < answerWhenInFlight) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          waiting.push(() => (clearTimeout(timer), resolve()));
        });
      } else {
        waiting.splice(0).forEach((release) => release());
      }
      setTimeout(() => {
        inFlight -= 1;
        const headers: Record<string, string> = { "content-type": "application/json" };
        // A successful write that still asks the client to slow down.
        if (req.method !== "GET" && retryAfterOnce) {
          headers["retry-after"] = retryAfterOnce;
          retryAfterOnce = null;
        }
        seen.push({ token, method: req.method ?? "GET", startedAt, endedAt: Date.now() });
        res.writeHead(req.method === "POST" ? 201 : 200, headers);
        res.end(JSON.stringify({ id: seen.length }));
      }, responseDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen.length = 0;
  answerWhenInFlight = null;
  maxInFlight = inFlight;
});

const gapMs = 150;
const client = (token: string) => createGitHubClient({ baseUrl, auth: { token }, writeGapMs: gapMs, waitScale: 0.1 });
const comment = (c: ReturnType<typeof client>, n: number) => c.rest.issues.createComment({ owner: "acme", repo: "widgets", issue_number: n, body: "x" });

function overlaps(requests: Seen[]): boolean {
  return requests.some((a, i) => requests.some((b, j) => i !== j && a.startedAt < b.endedAt && b.startedAt < a.endedAt));
}

describe("write pacing", () => {
  it("runs one write at a time per credential, with the gap after each, even across clients", async () => {
    const token = "pacing-token-aaaaaaaaaaaa";
    // Two clients on one token (e.g. two tasks): still one lane.
    const [first, second] = [client(token), client(token)];
    await Promise.all([comment(first, 1), comment(second, 2), comment(first, 3), comment(second, 4)]);
    const writes = seen.filter((s) => s.token === token).sort((a, b) => a.startedAt - b.startedAt);
    expect(writes).toHaveLength(4);
    expect(overlaps(writes)).toBe(false);
    for (let i = 1; i < writes.length; i++) expect(writes[i].startedAt - writes[i - 1].endedAt).toBeGreaterThanOrEqual(gapMs - 5);
  });

  it("different credentials do not wait for each other", async () => {
    const tokens = ["pacing-token-bbbbbbbbbbbb", "pacing-token-cccccccccccc", "pacing-token-dddddddddddd"];
    answerWhenInFlight = 3;
    await Promise.all(tokens.map((t, i) => comment(client(t), i)));
    expect(seen).toHaveLength(3);
    // All three were in flight together: no process-wide queue.
    expect(maxInFlight).toBe(3);
  });

  it("reads are not paced", async () => {
    const c = client("pacing-token-eeeeeeeeeeee");
    answerWhenInFlight = 3;
    await Promise.all([1, 2, 3].map(() => c.rest.repos.get({ owner: "acme", repo: "widgets" })));
    expect(maxInFlight).toBe(3);
  });

  it("honours retry-after on a write's answer before the credential's next write", async () => {
    const token = "pacing-token-ffffffffffff";
    const c = client(token);
    retryAfterOnce = "5"; // seconds, x waitScale 0.1 = 500 ms
    await comment(c, 1);
    await comment(c, 2);
    const [a, b] = seen;
    expect(b.startedAt - a.endedAt).toBeGreaterThanOrEqual(500 - 5);
  });
});
