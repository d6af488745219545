// A local stand-in for an OpenAI-compatible chat-completions server. It replays scripted
// turns (or computes them from the request), streams or not, reports usage with cached
// tokens, injects 429/500/slow responses, and records every request body it receives.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedToolCall = { name: string; args: unknown; id?: string };

export type ScriptedTurn = {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Defaults: prompt tokens ~ request bytes / 4, cached = the prefix shared with the previous request. */
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number };
  /** Answer with this HTTP error instead (retry-after in seconds for 429). */
  error?: { status: number; retryAfterSec?: number; message?: string };
  delayMs?: number;
  finishReason?: string;
};

export type RecordedRequest = {
  index: number;
  path: string;
  body: string;
  json: ChatRequest;
};

export type ChatRequest = {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: unknown[];
  stream?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
};

export type ScriptStep = ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>);

export type ScriptedLlmServer = {
  /** Base URL for OPENAI_COMPATIBLE_BASE_URL, e.g. http://127.0.0.1:1234/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Appends steps; each HTTP request consumes one. */
  push: (...steps: ScriptStep[]) => void;
  /** Used when the queue is empty (otherwise the server answers 400 "script exhausted"). */
  setFallback: (step: ScriptStep | undefined) => void;
  close: () => Promise<void>;
};

export async function startScriptedLlmServer(options: { script?: ScriptStep[]; fallback?: ScriptStep; port?: number } = {}): Promise<ScriptedLlmServer> {
  const queue: ScriptStep[] = [...(options.script ?? [])];
  let fallback = options.fallback;
  const requests: RecordedRequest[] = [];
  let previousPrefix = "";

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `scripted server bug: ${String(error)}`, type: "server_error" } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "POST" || !/^(\/v1)?\/chat\/completions$/.test(path)) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const recorded: RecordedRequest = { index: requests.length, path, body, json: JSON.parse(body) as ChatRequest };
    requests.push(recorded);

    const step = queue.shift() ?? fallback;
    if (!step) return sendError(res, { status: 400, message: "scripted server: script exhausted" });
    const turn = typeof step === "function" ? await step(recorded) : step;
    if (turn.delayMs) await new Promise((resolve) => setTimeout(resolve, turn.delayMs));
    if (turn.error) return sendError(res, turn.error);

    // Simulates provider prefix caching: tokens shared with the previous request's start.
    const prefix = JSON.stringify([recorded.json.tools ?? [], recorded.json.messages]);
    let shared = 0;
    while (shared < prefix.length && shared < previousPrefix.length && prefix[shared] === previousPrefix[shared]) shared++;
    previousPrefix = prefix;
    const toolCalls = (turn.toolCalls ?? []).map((call, index) => ({
      id: call.id ?? `call_${recorded.index}_${index}`,
      type: "function" as const,
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    }));
    const completionEstimate = Math.ceil(Buffer.byteLength(JSON.stringify([turn.text ?? "", toolCalls])) / 4);
    const promptTokens = turn.usage?.promptTokens ?? Math.ceil(Buffer.byteLength(prefix) / 4);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: turn.usage?.completionTokens ?? completionEstimate,
      total_tokens: promptTokens + (turn.usage?.completionTokens ?? completionEstimate),
      prompt_tokens_details: { cached_tokens: turn.usage?.cachedTokens ?? Math.min(promptTokens, Math.floor(shared / 4)) },
    };
    const finishReason = turn.finishReason ?? (toolCalls.length ? "tool_calls" : "stop");
    const base = { id: `chatcmpl-${recorded.index}`, created: Math.floor(Date.now() / 1000), model: recorded.json.model };

    if (!recorded.json.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: turn.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: finishReason }],
        usage,
      }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...(data as object) })}\n\n`);
    send({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    if (turn.text) send({ choices: [{ index: 0, delta: { content: turn.text }, finish_reason: null }] });
    toolCalls.forEach((call, index) => {
      send({ choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, finish_reason: null }] });
      send({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: call.function.arguments } }] }, finish_reason: null }] });
    });
    send({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }] });
    send({ choices: [], usage });
    res.end("data: [DONE]\n\n");
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    push: (...steps) => queue.push(...steps),
    setFallback: (step) => {
      fallback = step;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function sendError(res: ServerResponse, error: NonNullable<ScriptedTurn["error"]>) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (error.retryAfterSec !== undefined) headers["retry-after"] = String(error.retryAfterSec);
  const type = error.status === 429 ? "rate_limit_error" : error.status >= 500 ? "server_error" : "invalid_request_error";
  res.writeHead(error.status, headers).end(JSON.stringify({ error: { message: error.message ?? `scripted ${error.status}`, type } }));
}

/** The tool calls of the last assistant message and the tool results after it, for reactive scripts. */
export function lastToolResults(request: RecordedRequest): { toolCallId: string; content: string }[] {
  const results: { toolCallId: string; content: string }[] = [];
  for (let index = request.json.messages.length - 1; index >= 0 && request.json.messages[index].role === "tool"; index--) {
    const message = request.json.messages[index];
    results.unshift({ toolCallId: message.tool_call_id ?? "", content: typeof message.content === "string" ? message.content : JSON.stringify(message.content) });
  }
  return results;
}
