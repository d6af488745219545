// One task under one configuration, as a user would run it: a fresh repository on GitHub,
// POST /api/runs, the whole factory flow (plan, code, test, review, PR) on the engine, then
// the run's pull-request branches checked out and the hidden tests run on them in the sandbox.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { runGit } from "@/lib/git/run-git";
import { createRunInput } from "@/lib/runs/create-run-input";
import { runTests } from "@/lib/testing/run-tests";
import { agentRoles, type EvalConfig } from "./eval-configs";
import type { EvalTask } from "./eval-tasks";

/** Where task repositories are created; the fake GitHub in this process, or a real one. */
export type EvalGitHub = {
  owner: string;
  token: string;
  createRepository: (input: { name: string; files: Record<string, string> }) => Promise<void>;
  cloneUrl: (name: string) => string;
};

/** What the eval sends POST /api/runs, and what this factory version's API did not accept. */
export type RunRequestPlan = { body: Record<string, unknown>; unsupported: string[] };

export type EvalTaskResult = {
  taskId: string;
  config: string;
  runId: string | null;
  runStatus: RunStatus | "error" | "timed_out";
  /** The hidden tests pass on the run's pull-request branches. */
  isResolved: boolean;
  hiddenTests: { outcome: string; passed: number | null; failed: number | null } | null;
  /** Why it is not resolved, in a few words. */
  reason: string | null;
  costUsd: number;
  /** Review-and-fix iterations summed over the run's tasks. */
  iterations: number;
  plannedTasks: number;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** From POST /api/runs to the run's final status. */
  wallTimeSec: number;
  pullRequests: string[];
  applied: { coderAttempts: number | null; models: unknown };
};

const terminalStatuses: RunStatus[] = ["succeeded", "failed", "cancelled", "budget_exhausted"];

/** Accepted by createRunInput with `value` kept under one of `names`; the first such name. */
function acceptedField(base: Record<string, unknown>, names: string[], value: unknown): string | undefined {
  return names.find((name) => {
    const parsed = createRunInput.safeParse({ ...base, [name]: value });
    return parsed.success && JSON.stringify((parsed.data as Record<string, unknown>)[name]) === JSON.stringify(value);
  });
}

/**
 * The run request for a configuration. Best-of-N attempts and escalation ladders go in only
 * when the API's own schema accepts them; otherwise they are listed as unsupported, and the
 * run uses one attempt and the first model of each ladder, so the eval still runs and says so.
 */
export function planRunRequest(options: { config: EvalConfig; task: EvalTask; repo: string }): RunRequestPlan {
  const { config, task } = options;
  const unsupported: string[] = [];
  const firstModels = Object.fromEntries(agentRoles.map((role) => [role, config.roleModels[role][0]]));
  const body: Record<string, unknown> = {
    repo: options.repo,
    title: task.title,
    spec: task.spec,
    budgetUsd: config.budgetUsd,
    maxIterations: config.maxIterations,
    testCommand: task.testCommand,
    setupCommand: task.setupCommand ?? "",
    models: firstModels,
  };
  const ladders = Object.fromEntries(agentRoles.map((role) => [role, config.roleModels[role].length > 1 ? config.roleModels[role] : config.roleModels[role][0]]));
  if (agentRoles.some((role) => config.roleModels[role].length > 1)) {
    if (acceptedField(body, ["models"], ladders)) body.models = ladders;
    else unsupported.push("model ladders (escalation): the first model of each role ran");
  }
  if (config.attempts > 1) {
    const name = acceptedField(body, ["attempts", "coderAttempts"], config.attempts);
    if (name) body[name] = config.attempts;
    else unsupported.push(`attempts ${config.attempts}: one coder attempt ran`);
  }
  if (config.escalateAfterIterations !== undefined) {
    const name = acceptedField(body, ["escalateAfterIterations", "escalateAfter"], config.escalateAfterIterations);
    if (name) body[name] = config.escalateAfterIterations;
    else unsupported.push(`escalateAfterIterations ${config.escalateAfterIterations}`);
  }
  return { body, unsupported };
}

async function waitForRunEnd(runId: string, timeoutMs: number): Promise<RunStatus | "timed_out"> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
    if (terminalStatuses.includes(run.status)) return run.status;
    if (Date.now() > deadline) return "timed_out";
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Clones the repository, combines the run's PR branches (one branch: checked out; several:
 * merged in PR order, as a reviewer merging them would) and runs the hidden tests on the result.
 */
async function checkHiddenTests(options: { task: EvalTask; github: EvalGitHub; repoName: string; branches: string[] }) {
  const { task, github, branches } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), `factory-eval-${task.id}-`));
  const workspace = path.join(dir, "result");
  const remoteUrl = github.cloneUrl(options.repoName);
  try {
    await runGit({ cwd: dir, args: ["clone", "--quiet", remoteUrl, workspace], token: github.token, remoteUrl });
    await runGit({ cwd: workspace, args: ["checkout", "--quiet", "-B", "eval-result", `origin/${branches[0]}`] });
    for (const branch of branches.slice(1)) {
      const merged = await runGit({
        cwd: workspace,
        args: ["-c", "user.name=eval", "-c", "user.email=eval@localhost", "merge", "--quiet", "--no-edit", `origin/${branch}`],
        allowedExitCodes: [1],
      });
      if (merged.exitCode !== 0) return { outcome: "not_run", passed: null, failed: null, reason: `the PR branches conflict (${branch})` };
    }
    for (const [file, content] of Object.entries(task.hiddenFiles)) {
      mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
      writeFileSync(path.join(workspace, file), content);
    }
    const run = await runTests({ workspace, setupCommand: task.setupCommand ?? null, testCommand: task.hiddenTestCommand });
    const reason = run.outcome === "passed" ? null : `hidden tests ${run.outcome}${run.failed !== null ? ` (${run.failed} failing)` : ""}`;
    return { outcome: run.outcome, passed: run.passed, failed: run.failed, reason };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runEvalTask(options: {
  task: EvalTask;
  config: EvalConfig;
  github: EvalGitHub;
  repoName: string;
  postRun: (body: Record<string, unknown>) => Promise<Response>;
  /** Cancels a run that outlived timeoutMs, through the API as a user would. */
  cancelRun: (runId: string) => Promise<void>;
  timeoutMs: number;
}): Promise<EvalTaskResult> {
  const { task, config, github, repoName } = options;
  const empty: EvalTaskResult = {
    taskId: task.id, config: config.name, runId: null, runStatus: "error", isResolved: false, hiddenTests: null, reason: null,
    costUsd: 0, iterations: 0, plannedTasks: 0, llmCalls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, wallTimeSec: 0,
    pullRequests: [], applied: { coderAttempts: null, models: null },
  };
  await github.createRepository({ name: repoName, files: task.repoFiles });
  const { body } = planRunRequest({ config, task, repo: `${github.owner}/${repoName}` });
  const started = Date.now();
  const response = await options.postRun(body);
  if (response.status !== 201) {
    const text = await response.text();
    return { ...empty, reason: `POST /api/runs answered ${response.status}: ${text.slice(0, 300)}` };
  }
  const { id: runId } = (await response.json()) as { id: string };
  const status = await waitForRunEnd(runId, options.timeoutMs);
  const wallTimeSec = (Date.now() - started) / 1000;

  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    select: {
      spentUsd: true, error: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, coderAttempts: true, models: true,
      tasks: { select: { iteration: true } },
      pullRequests: { select: { url: true, headBranch: true }, orderBy: { createdAt: "asc" } },
      _count: { select: { llmCalls: true } },
    },
  });
  const result: EvalTaskResult = {
    ...empty,
    runId,
    runStatus: status,
    costUsd: run.spentUsd.toNumber(),
    iterations: run.tasks.reduce((sum, t) => sum + t.iteration, 0),
    plannedTasks: run.tasks.length,
    llmCalls: run._count.llmCalls,
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    cacheReadTokens: run.cacheReadTokens,
    wallTimeSec,
    pullRequests: run.pullRequests.map((pr) => pr.url),
    applied: { coderAttempts: run.coderAttempts, models: run.models },
  };
  if (status === "timed_out") {
    await options.cancelRun(runId);
    return { ...result, reason: `no final status within ${Math.round(options.timeoutMs / 60_000)} min; cancelled` };
  }
  if (!run.pullRequests.length) return { ...result, reason: `no pull request (run ${status}${run.error ? `: ${run.error.slice(0, 200)}` : ""})` };

  const hidden = await checkHiddenTests({ task, github, repoName, branches: run.pullRequests.map((pr) => pr.headBranch) });
  return {
    ...result,
    isResolved: hidden.outcome === "passed",
    hiddenTests: { outcome: hidden.outcome, passed: hidden.passed, failed: hidden.failed },
    reason: hidden.reason,
  };
}
