// A whole factory against local stand-ins: the fake GitHub (REST + git over HTTP), the
// scripted model server playing every role, and the real database. Used by flow tests.
import { afterAll } from "vitest";
import { db } from "@/lib/db";
import { createRun } from "@/lib/runs/create-run";
import { resetEnvCache } from "@/lib/env";
import { startFakeGitHub } from "@/test/fake-github";
import { pointAppAtFakeGitHub } from "@/test/fake-github-fixtures";
import { startFakeSlack } from "@/test/fake-slack";
import { createInngestHarness, type HarnessOptions } from "@/test/inngest-harness";
import { lastToolResults, startScriptedLlmServer, type RecordedRequest, type ScriptedTurn } from "@/test/scripted-llm-server";
import { scriptedModel, useScriptedModel } from "@/test/agent-fixtures";
import { secretCanaries } from "@/test/secret-canaries";

/**
 * The engine a flow test drives: the in-process Inngest harness with every workflow function
 * registered, and a local Slack for run reports. Call once, at the top of the test file (it
 * registers the afterAll that closes both).
 */
export async function startFlowEngine(options: Pick<HarnessOptions, "runTimeoutMs" | "timeScale">) {
  const harness = await createInngestHarness({ maxAttempts: 2, ...options });
  process.env.INNGEST_DEV = harness.eventApiUrl; // before lib/inngest.ts is loaded
  const { functions } = await import("@/workflows");
  harness.register(...functions);
  const slack = await startFakeSlack();
  process.env.SLACK_WEBHOOK_URL = slack.webhookUrl;
  resetEnvCache();
  afterAll(async () => {
    await harness.close();
    await slack.close();
  });
  /** The run-spec run of `runId`, once it and the run report it triggers have ended. */
  const finishedRunSpec = async (runId: string, timeoutMs = 240_000) => {
    const run = await harness.waitForRun({ functionId: "run-spec", where: (candidate) => candidate.event.data.runId === runId, timeoutMs });
    await harness.waitForRun({ functionId: "notify-run-finished", where: (candidate) => candidate.event.data.runId === runId, timeoutMs: 30_000 });
    return run;
  };
  return { harness, slack, finishedRunSpec };
}

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

export type FactoryWorld = Awaited<ReturnType<typeof startFactoryWorld>>;

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
  process.env.FACTORY_MODEL = scriptedModel;
  useScriptedModel(llm.baseUrl);
  pointAppAtFakeGitHub(github, "factory-flow-");

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
  input: Partial<Omit<Parameters<typeof createRun>[0]["input"], "repo">> = {},
): Promise<string> {
  const repo = `${world.repository.owner}/${world.repository.name}`;
  const { id } = await createRun({
    input: { repo, title: "Add a greeting", spec: "Greet people by name.", budgetUsd: 5, maxIterations: 3, ...input },
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

/** Writes these files, one per turn, then finishes with `summary`. */
export const writes = (files: Record<string, string>, summary: string): RoleScript => (_request, turn) => {
  const entries = Object.entries(files);
  return turn <= entries.length
    ? { toolCalls: [{ name: "write_file", args: { path: entries[turn - 1][0], content: entries[turn - 1][1] } }] }
    : { toolCalls: [{ name: "finish", args: { summary } }] };
};

type ReviewComment = { path: string; line: number; body: string };

/** A reviewer that approves only when the test results it was given say passed; otherwise it asks for changes. */
export function reviewerFollowsTests(changesRequested: { summary: string; comments: ReviewComment[] } = { summary: "Tests fail.", comments: [] }): RoleScript {
  return (request) => ({
    toolCalls: [{
      name: "submit_review",
      args: taskMessageOf(request).includes("Tests: passed")
        ? { verdict: "approve", summary: "Correct, tests pass.", comments: [] }
        : { verdict: "request_changes", ...changesRequested },
    }],
  });
}

/** A tester with nothing to add: the coder's tests (or the test command) cover the criteria. */
export const testerAddsNothing: RoleScript = () => ({ toolCalls: [{ name: "finish", args: { summary: "Nothing to add." } }] });

/** A small node repository whose own tests pass on the default branch. */
export const greeterRepo = {
  "package.json": JSON.stringify({ name: "greeter", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2),
  "greet.js": "export const greet = (name) => `Hi ${name}`;\n",
  "test/greet.test.js": "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from '../greet.js';\ntest('greets by name', () => assert.equal(greet('Ada'), 'Hi Ada'));\n",
};

/** The task the greeter flows plan, and the test a coder writes for it. */
export const farewellTask = { key: "farewell", title: "Farewell", description: "Add farewell(name) in farewell.js returning `Goodbye, <name>!`", acceptanceCriteria: ["farewell('Ada') returns 'Goodbye, Ada!'"], dependsOn: [] };
export const farewellTest = "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { farewell } from '../farewell.js';\n\ntest('says goodbye with a bang', () => assert.equal(farewell('Ada'), 'Goodbye, Ada!'));\n";

/** The task the hello.txt flows plan: one file whose content their test command checks. */
export const greetingTask = { key: "greeting", title: "Greeting file", description: "Create hello.txt", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] };
/** The reviewer of the hello.txt flows: until the tests pass, it points at the misspelled line. */
export const reviewerWantsExactHello = reviewerFollowsTests({
  summary: "hello.txt must contain exactly hello.",
  comments: [{ path: "hello.txt", line: 1, body: "Spelled wrong." }],
});
