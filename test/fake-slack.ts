// Stands in for a Slack incoming webhook: POST JSON to the webhook path -> 200 "ok". It checks
// Slack's Block Kit limits like the real one does (400 invalid_blocks), records every request,
// and can be told to fail the next requests the ways Slack does.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** How the next post fails; `body` replaces Slack's usual error text. */
export type FakeSlackFailure = ({ status: 500 } | { status: 429; retryAfterSeconds: number } | { status: 404 }) & { body?: string };

export type FakeSlackRequest = { path: string; body: unknown; answeredStatus: number };

const failureBodies = { 500: "internal_error", 429: "rate_limited", 404: "no_service" } as const;

export async function startFakeSlack() {
  // The path is the credential in a real webhook URL; a random one lets tests look for leaks.
  const webhookPath = `/services/T${token()}/B${token()}/${token()}${token()}`;
  const requests: FakeSlackRequest[] = [];
  const failures: FakeSlackFailure[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
        requests.push({ path: request.url ?? "", body: parseJson(Buffer.concat(chunks).toString("utf8")), answeredStatus: status });
        response.writeHead(status, { "content-type": "text/html", ...headers }).end(text);
      };
      if (request.method !== "POST" || request.url !== webhookPath) return answer(404, "no_service");
      const failure = failures.shift();
      if (failure) {
        const headers: Record<string, string> = failure.status === 429 ? { "retry-after": String(failure.retryAfterSeconds) } : {};
        return answer(failure.status, failure.body ?? failureBodies[failure.status], headers);
      }
      const body = parseJson(Buffer.concat(chunks).toString("utf8"));
      if (body === undefined) return answer(400, "invalid_payload");
      const problem = findMessageProblem(body);
      return problem ? answer(400, problem) : answer(200, "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    webhookUrl: `${origin}${webhookPath}`,
    /** A URL on this server that is not the webhook: Slack answers 404 no_service. */
    unknownWebhookUrl: `${origin}/services/T0/B0/revoked`,
    requests,
    /** Bodies Slack accepted (answered 200). */
    delivered: () => requests.filter((r) => r.answeredStatus === 200).map((r) => r.body),
    /** The next `count` posts fail with `failure`. */
    failNext(count: number, failure: FakeSlackFailure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

function token(): string {
  return randomBytes(6).toString("hex").toUpperCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type LooseBlock = { type?: unknown; text?: { text?: unknown }; fields?: { text?: unknown }[] };

/** Slack's answer for a message it would refuse, or null. Covers the limits the factory can hit. */
function findMessageProblem(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return "invalid_payload";
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  if (typeof text !== "string" && !Array.isArray(blocks)) return "no_text";
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks) || blocks.length > 50) return "invalid_blocks";
  for (const block of blocks as LooseBlock[]) {
    const textLength = typeof block.text?.text === "string" ? block.text.text.length : 0;
    if (block.type === "header" && textLength > 150) return "invalid_blocks";
    if (block.type === "section" && textLength > 3000) return "invalid_blocks";
    if (block.fields && (block.fields.length > 10 || block.fields.some((f) => typeof f.text !== "string" || f.text.length > 2000))) return "invalid_blocks";
  }
  return null;
}
