// A whole factory against local stand-ins: the fake GitHub (REST + git over HTTP), the
// scripted model server playing every role, and the real database. Used by flow tests.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "../../lib/db";
import { createRun } from "../../lib/runs/create-run";
import { resetEnvCache } from "../../lib/env";
import { resetGitHubClients } from "../../lib/github/get-github-client";
import { startFakeGitHub } from "../fake-github";
import { lastToolResults, startScriptedLlmServer, type RecordedRequest, type ScriptedTurn } from "../scripted-llm-server";
import { scriptedModel, useScriptedModel } from "../agent-fixtures";
import { secretCanaries } from "../secret-canaries";

export type RoleScript = (request: RecordedRequest, turn: number) => ScriptedTurn | Promise<ScriptedTurn>;

/** Which role a request comes from, by its terminal tool and system prompt. */
export function roleOf(request: RecordedRequest): string {
  const tools = JSON.stringify(request.json.tools ?? []);
  if (tools.includes("submit_plan")) return "planner";
  if (tools.includes("submit_review")) return "reviewer";
  const system = JSON.stringify(request.json.messages[0]?.content ?? "");
  return system.includes("you fix it") ? "fixer" : system.includes("You are a test engineer") ? "tester" : "coder";
}

/** Turn number within the current session: how many assistant messages it already has. */
export function turnOf(request: RecordedRequest): number {
  return request.json.messages.filter((message) => message.role === "assistant").length + 1;
}

let worlds = 0;

export type FactoryWorldOptions = {
  roles: Record<string, RoleScript>;
  /**
   * Set (even to null): the repository's profile is this, edited by a user, so the factory does
   * not detect one. Left out: a fresh repository nobody configured; the first run detects it.
   */
  testCommand?: string | null;
  setupCommand?: string | null;
  /** Whether the repository's profile says it has GitHub CI (only with testCommand). */
  hasCi?: boolean;
  files?: Record<string, string>;
};

export async function startFactoryWorld(options: FactoryWorldOptions) {
  const github = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN, allowSelfReview: false });
  // A repository per world: PR numbers restart with each fake GitHub.
  const name = `widgets-${++worlds}`;
  await github.createRepository({ owner: "acme", name, files: options.files ?? { "README.md": "# Widgets\n" } });
  const llm = await startScriptedLlmServer({
    fallback: (request) => {
      const role = roleOf(request);
      const script = options.roles[role];
      if (!script) return { error: { status: 400, message: `no script for role ${role}` } };
      return script(request, turnOf(request));
    },
  });
  process.env.GITHUB_API_URL = github.apiUrl;
  process.env.GITHUB_TOKEN = secretCanaries.GITHUB_TOKEN;
  process.env.FACTORY_MODEL = scriptedModel;
  process.env.FACTORY_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "factory-flow-"));
  useScriptedModel(llm.baseUrl);
  resetEnvCache();
  resetGitHubClients();

  const profile = options.testCommand !== undefined
    ? { testCommand: options.testCommand, setupCommand: options.setupCommand ?? null, hasCi: options.hasCi ?? false, profileSource: "user" as const, detectedAt: new Date() }
    : {};
  const repository = await db.repository.upsert({
    where: { owner_name: { owner: "acme", name } },
    create: { owner: "acme", name, ...profile },
    update: profile,
  });
  const createRun = (data: { budgetUsd?: number; maxIterations?: number } = {}) =>
    db.run.create({
      data: {
        repositoryId: repository.id,
        title: "Add a greeting file",
        spec: "Add hello.txt containing hello.",
        budgetUsd: data.budgetUsd ?? 5,
        maxIterations: data.maxIterations ?? 2,
        models: { planner: scriptedModel, coder: scriptedModel, tester: scriptedModel, reviewer: scriptedModel, fixer: scriptedModel },
      },
    });
  return {
    github,
    llm,
    repository,
    createRun,
    close: async () => {
      await llm.close();
      await github.close();
    },
  };
}

export { lastToolResults };

/** The text of a request's first user message: the task and the feedback the role was given. */
export function taskMessageOf(request: RecordedRequest): string {
  const content = request.json.messages.find((message) => message.role === "user")?.content;
  return typeof content === "string" ? content : JSON.stringify(content ?? "");
}

/** The first request of each session of `role`, in order: what each of its sessions was told. */
export function sessionStarts(requests: RecordedRequest[], role: string): RecordedRequest[] {
  return requests.filter((request) => roleOf(request) === role && turnOf(request) === 1);
}

/**
 * A run as the app starts it: createRun (models from the environment, run.created) and a
 * factory/run.requested event to the harness. Returns the run id.
 */
export async function requestRun(
  world: { repository: { owner: string; name: string } },
  send: (event: { name: string; data: Record<string, unknown> }) => Promise<unknown>,
  input: { budgetUsd?: number; maxIterations?: number; spec?: string } = {},
): Promise<string> {
  const repo = `${world.repository.owner}/${world.repository.name}`;
  const { id } = await createRun({
    input: { repo, title: "Add a greeting", spec: input.spec ?? "Greet people by name.", budgetUsd: input.budgetUsd ?? 5, maxIterations: input.maxIterations ?? 3 },
    requestRun: async (runId) => void (await send({ name: "factory/run.requested", data: { runId, repository: repo } })),
    engineUrl: "harness",
  });
  return id;
}

type PlannedTask = { key: string; title: string; description: string; acceptanceCriteria: string[]; dependsOn: string[] };

/** A planner that looks at the repository once, then submits these tasks. */
export function plannerSubmits(tasks: PlannedTask[]): RoleScript {
  return (_request, turn) =>
    turn === 1 ? { toolCalls: [{ name: "list_files", args: {} }] } : { toolCalls: [{ name: "submit_plan", args: { tasks } }] };
}
