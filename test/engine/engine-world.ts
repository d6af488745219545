// One whole factory for a real-engine test: the production app (`next start`) and a real
// Inngest server, with the local stand-ins for GitHub, the model provider and Slack. The
// test drives it through the HTTP API, as a user would.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { scriptedModel, scriptedPrice } from "@/test/agent-fixtures";
import { startFakeGitHub } from "@/test/fake-github";
import { startFakeSlack } from "@/test/fake-slack";
import { roleOf, turnOf } from "@/test/flows/factory-flow-fixtures";
import { startScriptedLlmServer, type RecordedRequest, type ScriptedTurn } from "@/test/scripted-llm-server";
import { secretCanaries } from "@/test/secret-canaries";
import { freePortBlock, logTail, planRealEngine, startRealApp, waitFor, type EngineKind } from "./real-engine";

/** A role's answer to one model request; may wait (e.g. on a gate the test opens). */
export type EngineRoleScript = (request: RecordedRequest, turn: number) => ScriptedTurn | Promise<ScriptedTurn>;

export const finalRunStatuses = ["succeeded", "failed", "cancelled", "budget_exhausted"] as const;

/** A promise the test resolves by hand, to hold a model response (and so a chunk) open. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** The environment the app gets from the test process, minus what must not leak into it. */
function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(VITEST|INNGEST_|FACTORY_|GITHUB_|SLACK_|OPENAI|ANTHROPIC)/.test(entry[0])),
  );
}

export async function startEngineWorld(options: {
  kind: EngineKind;
  roles: Record<string, EngineRoleScript>;
  testCommand?: string | null;
  files?: Record<string, string>;
  /** Seconds of linear backoff between step retries (the engine's --retry-interval). */
  retryIntervalSec?: number;
  /** The Postgres server (the test run's) where `inngest start` gets a database of its own. */
  postgresServerUrl: string;
}) {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error("[engine-world] cleanup failed", error));
  };
  try {
    const github = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN, allowSelfReview: false });
    cleanups.push(() => github.close());
    const name = `widgets-${randomBytes(3).toString("hex")}`;
    const remote = await github.createRepository({ owner: "acme", name, files: options.files ?? { "README.md": "# Widgets\n" } });
    const llm = await startScriptedLlmServer({
      fallback: (request) => {
        const script = options.roles[roleOf(request)];
        if (!script) return { error: { status: 400, message: `no script for role ${roleOf(request)}` } };
        return script(request, turnOf(request));
      },
    });
    cleanups.push(() => llm.close());
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    // A profile set by a user, as on the Repositories page: detection leaves it alone.
    const profile = { testCommand: options.testCommand ?? null, profileSource: "user" as const, detectedAt: new Date() };
    const repository = await db.repository.upsert({
      where: { owner_name: { owner: "acme", name } },
      create: { owner: "acme", name, ...profile },
      update: profile,
    });

    const appPort = await freePortBlock(1);
    const appUrl = `http://127.0.0.1:${appPort}`;
    const plan = await planRealEngine({
      kind: options.kind,
      appServeUrl: `${appUrl}/api/inngest`,
      postgresServerUrl: options.postgresServerUrl,
      retryIntervalSec: options.retryIntervalSec,
    });
    const app = await startRealApp({
      port: appPort,
      env: {
        ...inheritedEnv(),
        DATABASE_URL: process.env.DATABASE_URL!,
        FACTORY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "factory-engine-data-")),
        FACTORY_API_TOKEN: secretCanaries.FACTORY_API_TOKEN,
        FACTORY_PUBLIC_URL: appUrl,
        FACTORY_MODEL: scriptedModel,
        FACTORY_MODEL_PRICES: JSON.stringify({ [scriptedModel]: scriptedPrice }),
        OPENAI_COMPATIBLE_BASE_URL: llm.baseUrl,
        OPENAI_COMPATIBLE_API_KEY: secretCanaries.OPENAI_COMPATIBLE_API_KEY,
        GITHUB_API_URL: github.apiUrl,
        GITHUB_TOKEN: secretCanaries.GITHUB_TOKEN,
        GITHUB_WEBHOOK_SECRET: secretCanaries.GITHUB_WEBHOOK_SECRET,
        SLACK_WEBHOOK_URL: slack.webhookUrl,
        ...plan.appEnv,
      },
    });
    cleanups.push(() => app.stop());
    const engine = await plan.start();
    cleanups.push(() => engine.stop());
    const serveUrl = `${appUrl}/api/inngest`;
    await waitFor(`the engine to sync the app at ${serveUrl} (engine log: ${engine.logFile})`, async () => {
      const synced = (await engine.apps()).find((candidate) => candidate.name === "dark-factory");
      // The dev server records loopback URLs with "localhost".
      return synced && synced.url?.replace("//localhost:", "//127.0.0.1:") === serveUrl && synced.functionCount >= 4 && !synced.error;
    }, { timeoutMs: 60_000 });

    const api = async (route: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${appUrl}${route}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };

    /** POST /api/runs, as the browser does; returns the run id. */
    const createRun = async (input: { spec?: string; budgetUsd?: number; maxIterations?: number } = {}) => {
      const { status, body } = await api("/api/runs", {
        method: "POST",
        body: { repo: `acme/${name}`, title: "Greet", spec: input.spec ?? "Add hello.txt containing hello.", budgetUsd: input.budgetUsd ?? 2, maxIterations: input.maxIterations ?? 2 },
      });
      if (status !== 201) throw new Error(`POST /api/runs answered ${status}: ${JSON.stringify(body)}`);
      return body.id as string;
    };

    /** Waits until GET /api/runs/:id shows a final status; returns the run as the API gives it. */
    const waitForRunEnd = (runId: string, timeoutMs = 180_000) =>
      waitFor(`run ${runId} to finish (app log: ${app.logFile}, engine log: ${engine.logFile})`, async () => {
        const { body } = await api(`/api/runs/${runId}`);
        return (finalRunStatuses as readonly unknown[]).includes(body.status) ? body : undefined;
      }, { timeoutMs, intervalMs: 500 });

    /** Waits until Slack has accepted a report matching `predicate`. */
    const waitForSlack = (predicate: (bodies: unknown[]) => boolean) =>
      waitFor("the Slack run report", () => predicate(slack.delivered()), { timeoutMs: 60_000 });

    /** Files on a branch of the repository on the local GitHub. */
    const filesOnBranch = (branch: string) =>
      execFileSync("git", ["-C", remote.dir, "ls-tree", "-r", "--name-only", branch], { encoding: "utf8" }).trim().split("\n");

    return {
      kind: options.kind,
      waitForSlack,
      filesOnBranch,
      github, llm, slack, repository, app, engine, api, createRun, waitForRunEnd, close,
      /** The last lines of the app's and the engine's logs, for failure messages. */
      logs: () => `--- app ---\n${logTail(app.logFile)}\n--- engine ---\n${logTail(engine.logFile)}`,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export type EngineWorld = Awaited<ReturnType<typeof startEngineWorld>>;
