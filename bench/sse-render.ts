// Live-view latency with a crowd watching: 50 viewers on one run's page (49 raw SSE clients and
// one Chromium page of the production app), and events committed one after another the way the
// workers commit them (recordRunEvent: a transaction whose commit fires pg_notify).
//   sseRenderLatencyMsP95: from the event's commit (acknowledged to the writer) to its row
//     appearing in the page's DOM (a MutationObserver's timestamp, same machine clock).
//   sseDeliveryMsP95: the same, to the last of the 49 raw clients receiving it.
// Skipped, with the reason, when there is no production build or no Chromium.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { db } from "@/lib/db";
import { recordRunEvent } from "@/lib/runs/run-events";
import { buildDir, freePortBlock, startRealApp, waitFor } from "@/test/engine/real-engine";

const viewers = 50;
const warmupEvents = 3;
const measuredEvents = 40;
// Debian's Chromium, as playwright.config.ts uses (browsers cannot be downloaded on these machines).
const chromiumPaths = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

export type SseRenderBenchmark =
  | { sseRenderLatencyMsP50: number; sseRenderLatencyMsP95: number; sseDeliveryMsP95: number; sseViewers: number; sseEventsMeasured: number }
  | { sseRenderSkipped: string };

const now = () => performance.timeOrigin + performance.now();

export async function measureSseRenderLatency(options: { model: string; modelPrice: unknown }): Promise<SseRenderBenchmark> {
  const executablePath = chromiumPaths.find((candidate) => existsSync(candidate));
  if (!executablePath) return { sseRenderSkipped: `no Chromium at ${chromiumPaths.join(" or ")}` };
  if (!existsSync(path.join(buildDir(), "BUILD_ID"))) return { sseRenderSkipped: `no production build in ${buildDir()}: run npm run build first` };

  const token = randomBytes(24).toString("hex");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "factory-bench-sse-"));
  const port = await freePortBlock(1);
  const app = await startRealApp({
    port,
    env: {
      ...inheritedEnv(),
      DATABASE_URL: process.env.DATABASE_URL!,
      FACTORY_DATA_DIR: dataDir,
      FACTORY_API_TOKEN: token,
      FACTORY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FACTORY_MODEL: options.model,
      FACTORY_MODEL_PRICES: JSON.stringify({ [options.model]: options.modelPrice }),
    },
  });
  const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  const rawClients = new AbortController();
  try {
    const run = await db.run.create({ data: { title: "SSE render bench", spec: "bench", budgetUsd: 100, status: "running" }, select: { id: true } });
    await recordRunEvent({ runId: run.id, type: "run.started", payload: {} });

    // The page: logged in like a person, watching the run, timestamping each event row as it is added.
    const page = await browser.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByTestId("login-token").fill(token);
    await page.getByTestId("login-submit").click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${app.url}/runs/${run.id}`);
    await page.getByTestId("event-1").waitFor();
    // A string, not a function: tsx's esbuild adds __name() helpers that the page does not have.
    await page.evaluate(eventRowObserverScript);

    // The other 49 viewers: raw SSE clients from event 1 on, each noting when every event id arrives.
    const arrivals = Array.from({ length: viewers - 1 }, () => new Map<number, number>());
    await Promise.all(arrivals.map((arrived) => followStream({ url: `${app.url}/api/runs/${run.id}/events?after=1`, token, signal: rawClients.signal, arrived })));

    const renderMs: number[] = [];
    const deliveryMs: number[] = [];
    for (let index = 0; index < warmupEvents + measuredEvents; index++) {
      const event = await recordRunEvent({
        runId: run.id,
        type: "llm.call",
        payload: { callId: `bench-${index}`, sessionId: null, model: options.model, costUsd: "0", inputTokens: 1_000, outputTokens: 100, latencyMs: 1, finishReason: "stop" },
      });
      const committedAt = now();
      // Polled from here (the page's CSP forbids waitForFunction's eval); the time is the observer's own.
      const seenAt = await waitFor(`event ${event.seq} in the page`, () => page.evaluate(`window.__seenAt[${event.seq}]`) as Promise<number | undefined>, { timeoutMs: 30_000, intervalMs: 5 });
      const lastArrival = await waitFor(`event ${event.seq} at every raw SSE client`, () => {
        const times = arrivals.map((arrived) => arrived.get(event.seq));
        return times.every((time) => time !== undefined) ? Math.max(...(times as number[])) : undefined;
      }, { timeoutMs: 30_000, intervalMs: 2 });
      if (index < warmupEvents) continue;
      renderMs.push(seenAt - committedAt);
      deliveryMs.push(lastArrival - committedAt);
    }
    renderMs.sort((a, b) => a - b);
    deliveryMs.sort((a, b) => a - b);
    return {
      sseRenderLatencyMsP50: round(percentile(renderMs, 0.5)),
      sseRenderLatencyMsP95: round(percentile(renderMs, 0.95)),
      sseDeliveryMsP95: round(percentile(deliveryMs, 0.95)),
      sseViewers: viewers,
      sseEventsMeasured: renderMs.length,
    };
  } finally {
    rawClients.abort();
    await browser.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Timestamps each event row (data-testid="event-<seq>") the first time it enters the DOM. */
const eventRowObserverScript = `
  window.__seenAt = {};
  new MutationObserver((mutations) => {
    const at = performance.timeOrigin + performance.now();
    for (const mutation of mutations) for (const node of mutation.addedNodes) {
      if (!(node instanceof Element)) continue;
      for (const element of [node, ...node.querySelectorAll("[data-testid^='event-']")]) {
        const match = /^event-(\\d+)$/.exec(element.getAttribute("data-testid") || "");
        if (match && window.__seenAt[match[1]] === undefined) window.__seenAt[match[1]] = at;
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
`;

/** Opens one SSE stream (resolves once it is open) and records when each event id arrives. */
async function followStream(options: { url: string; token: string; signal: AbortSignal; arrived: Map<number, number> }): Promise<void> {
  const response = await fetch(options.url, { headers: { authorization: `Bearer ${options.token}`, accept: "text/event-stream" }, signal: options.signal });
  if (!response.ok || !response.body) throw new Error(`SSE stream refused: ${response.status} ${await response.text()}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffered = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = now();
        buffered += value;
        const frames = buffered.split("\n\n");
        buffered = frames.pop() ?? "";
        for (const frame of frames) {
          const id = /^id: *(\d+)$/m.exec(frame)?.[1];
          if (id) options.arrived.set(Number(id), at);
        }
      }
    } catch (error) {
      // A dropped stream shows up as a timeout naming the event it never got.
      if (!options.signal.aborted) console.error(`SSE client stopped: ${(error as Error).message}`);
    }
  })();
}

/** The bench's environment minus the app settings it sets itself (and any real credentials). */
function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(VITEST|INNGEST_|FACTORY_|GITHUB_|SLACK_|OPENAI|ANTHROPIC)/.test(entry[0])),
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
