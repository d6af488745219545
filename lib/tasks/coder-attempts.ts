// Best-of-N: a task's first pass as N coder sessions in parallel, each on its own branch
// (factory/<run>-<task>-attempt-<N>, started from the task's branch) and workspace, judged by
// the same checks, so tests, not a model's say-so, pick the code that becomes the PR.
//
// The winner, by this rule, in order:
//   1. the coder finished (called finish); an attempt that stopped otherwise is out;
//   2. passing checks: no new failing tests first, then the fewest new failing tests, then the
//      tester's tests proven fail-to-pass (proven, then not run, then not proven);
//   3. only among attempts still tied after 2, the reviewer's verdict (approve first): a
//      reviewer session per tied attempt, so reviews are paid only when the tests cannot decide;
//   4. the smaller diff (lines added + removed against the base), then the lower attempt number.
// The winner's commits go onto the task's branch (a fast-forward); every attempt branch is
// deleted, and the task.attempts event lists each attempt's cost and outcome.
import { defaultCompaction, defaultTurnsPerChunk } from "@/lib/agents/agent-loop";
import { Prisma } from "@/lib/generated/prisma/client";
import { roleDefinitions } from "@/lib/agents/roles";
import { db } from "@/lib/db";
import { buildBranchName, commitAll, pushBranch } from "@/lib/git/branches";
import { runGit } from "@/lib/git/run-git";
import { createBranch, deleteBranch } from "@/lib/github/branches";
import { computeWorstCaseUsd, getModelPriceOrThrow } from "@/lib/llm/model-price";
import { pickSessionModel, resolveModelLadder } from "@/lib/llm/language-model";
import { recordRunEvent } from "@/lib/runs/run-events";
import { judgeFailToPass, type FailOnBaseProof, type FailToPassStatus } from "@/lib/testing/test-results";
import { openSessionWorkspace } from "@/lib/github/repository";
import type { TaskContext } from "./role-sessions";
import { attemptCheckoutKey, resolveBaseSha, taskCheckoutKey, describeTask, startRoleSession } from "./role-sessions";
import { runTaskChecks, type TaskChecks, type TestOverlay } from "./iteration";
/** One coder attempt: its number (1-based), model and branch. */
export type AttemptSlot = { attempt: number; model: string; branch: string };

/** The attempts a task's first pass runs; empty when it runs one coder on the task's own branch. */
export type CoderAttemptsPlan = { requested: number; slots: AttemptSlot[] };

/** As lib/agents runs sessions: turns per durable chunk, and the transcript's compaction ceiling. */
const chunkTurns = defaultTurnsPerChunk;
const transcriptCeilingBytes = defaultCompaction.budgetBytes;

/**
 * What one attempt is expected to cost at worst before the budget guard can stop it: one
 * chunk of coder turns, each call at its worst case with the transcript at its compaction
 * ceiling (every prompt byte a token at the dearest input rate, plus all allowed output).
 */
export async function estimateAttemptUsd(model: string): Promise<Prisma.Decimal> {
  const price = await getModelPriceOrThrow(model);
  const role = roleDefinitions.coder;
  const call = computeWorstCaseUsd({ promptBytes: Buffer.byteLength(role.systemPrompt) + transcriptCeilingBytes, maxOutputTokens: role.maxOutputTokens, price });
  return new Prisma.Decimal(call).mul(chunkTurns);
}

/**
 * How many attempts run: the run's coderAttempts (else the repository's), cut to what the
 * remaining budget (budget - spent - reserved) covers at each attempt's estimate; one always
 * runs, and the budget guard stops it if even its calls do not fit. A cut is recorded.
 */
export async function planCoderAttempts(options: { context: TaskContext }): Promise<CoderAttemptsPlan> {
  const { context } = options;
  const task = context.task;
  const requested = context.run.coderAttempts ?? context.repository.coderAttempts;
  if (requested <= 1) return { requested: 1, slots: [] };
  const ladder = resolveModelLadder({ role: "coder", runModels: context.run.models });
  const run = await db.run.findUniqueOrThrow({ where: { id: context.run.id }, select: { budgetUsd: true, spentUsd: true, reservedUsd: true } });
  const remaining = run.budgetUsd.minus(run.spentUsd).minus(run.reservedUsd);
  const slots: AttemptSlot[] = [];
  let planned = new Prisma.Decimal(0);
  let estimate = new Prisma.Decimal(0);
  for (let attempt = 1; attempt <= requested; attempt++) {
    const model = pickSessionModel({ ladder, attempt, escalateAfter: context.run.escalateAfter }).model.ref;
    estimate = await estimateAttemptUsd(model);
    if (slots.length > 0 && planned.plus(estimate).gt(remaining)) break;
    planned = planned.plus(estimate);
    slots.push({ attempt, model, branch: buildBranchName({ runId: context.run.id, taskKey: task.key, attempt }) });
  }
  if (slots.length < requested) {
    await recordRunEvent({
      runId: context.run.id,
      type: "task.attempts.limited",
      payload: {
        taskKey: task.key,
        requested,
        running: slots.length,
        remainingUsd: remaining.toFixed(6),
        estimatePerAttemptUsd: estimate.toFixed(6),
        message: `${task.key}: ${slots.length} of ${requested} coder attempts run: the remaining budget ($${remaining.toFixed(4)}) covers ${slots.length} at about $${estimate.toFixed(4)} each (one chunk of coder turns at its worst case)`,
      },
    });
  }
  // One attempt is the plain flow: the coder works on the task's own branch.
  return { requested, slots: slots.length > 1 ? slots : [] };
}

/** Creates the attempt's branch from the task's branch and starts its coder session. */
export async function startCoderAttempt(options: { context: TaskContext; slot: AttemptSlot }): Promise<string> {
  const { context, slot } = options;
  const task = context.task;
  await createBranch({ owner: context.repository.owner, repo: context.repository.name, branch: slot.branch, fromBranch: task.branch! });
  return startRoleSession({ context, role: "coder", task: describeTask(task), branch: slot.branch, iteration: 1, attempt: slot.attempt });
}

/** One attempt's checks, as the winner rule reads them. */
export type AttemptCheck = {
  attempt: number;
  testResult: TaskChecks["testResult"];
  isBlocking: boolean;
  newFailures: number;
  failToPass: FailToPassStatus;
  headSha: string;
  /** Lines added plus removed against the task's base. */
  diffLines: number;
  /** What a reviewer judging this attempt reads about its tests. */
  feedback: string;
};

/** Runs the task's checks on one attempt's head (with the tester's files laid over, when given). */
export async function checkCoderAttempt(options: { context: TaskContext; slot: AttemptSlot; proof: FailOnBaseProof | null; overlay?: TestOverlay }): Promise<AttemptCheck> {
  const { context, slot } = options;
  const attempt = { number: slot.attempt, branch: slot.branch };
  const checks = await runTaskChecks({ context, iteration: 1, attempt, overlay: options.overlay });
  const failToPass = judgeFailToPass(options.proof, { outcome: checks.testResult, format: checks.format, failingKeys: checks.failingKeys });
  const opened = await openSessionWorkspace({ repository: context.repository, workspaceKey: attemptCheckoutKey(context.task.id, slot.attempt), branch: slot.branch });
  const { stdout } = await runGit({ cwd: opened.workspace, args: ["diff", "--numstat", "--no-renames", checks.baseSha, "HEAD"] });
  const diffLines = stdout.split("\n").filter(Boolean).reduce((sum, line) => {
    const [added, removed] = line.split("\t");
    return sum + (Number(added) || 0) + (Number(removed) || 0);
  }, 0);
  return {
    attempt: slot.attempt, testResult: checks.testResult, isBlocking: checks.isBlocking, newFailures: checks.newFailures.length,
    failToPass, headSha: checks.headSha, diffLines, feedback: checks.feedback,
  };
}

/** What the winner rule compares; isFinished: the coder called finish. */
export type AttemptCandidate = AttemptCheck & { isFinished: boolean; verdict: "approve" | "request_changes" | null };

const failToPassRank: Record<FailToPassStatus, number> = { proven: 0, not_run: 1, not_proven: 2 };
const verdictRank = (verdict: AttemptCandidate["verdict"]) => (verdict === "approve" ? 0 : verdict === null ? 1 : 2);

/** Rule steps 1 and 2: the checks, in order of importance. */
const checkKeys = (c: AttemptCandidate) => [c.isFinished ? 0 : 1, c.isBlocking ? 1 : 0, c.newFailures, failToPassRank[c.failToPass]];

function compareKeys(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index] - b[index];
  return 0;
}

/** Finished attempts best first, by the winner rule (see the header). */
export function rankAttempts(candidates: AttemptCandidate[]): AttemptCandidate[] {
  return candidates
    .filter((candidate) => candidate.isFinished)
    .sort((a, b) => compareKeys(checkKeys(a), checkKeys(b)) || verdictRank(a.verdict) - verdictRank(b.verdict) || a.diffLines - b.diffLines || a.attempt - b.attempt);
}

/** The finished attempts the checks cannot separate from the best one: the reviewer decides among them. */
export function tiedOnChecks(candidates: AttemptCandidate[]): AttemptCandidate[] {
  const [best] = rankAttempts(candidates);
  if (!best) return [];
  return rankAttempts(candidates).filter((candidate) => compareKeys(checkKeys(candidate), checkKeys(best)) === 0);
}

/** A reviewer session judging one attempt (read-only, on the attempt's branch), before any PR exists. */
export async function startAttemptReview(options: { context: TaskContext; check: AttemptCheck }): Promise<string> {
  const { context, check } = options;
  const task = context.task;
  const opened = await openSessionWorkspace({ repository: context.repository, workspaceKey: attemptCheckoutKey(task.id, check.attempt), branch: buildBranchName({ runId: context.run.id, taskKey: task.key, attempt: check.attempt }) });
  const baseSha = await resolveBaseSha({ workspace: opened.workspace, baseBranch: task.baseBranch, defaultBranch: opened.defaultBranch });
  const { stdout: diff } = await runGit({ cwd: opened.workspace, args: ["diff", "--no-color", "--no-ext-diff", baseSha, "HEAD"] });
  const maxDiffChars = 60_000;
  return startRoleSession({
    context, role: "reviewer", iteration: 1, branch: null, attempt: check.attempt, task: describeTask(task),
    feedback: [
      { source: "test-results", text: check.feedback },
      { source: "diff", text: (diff.length > maxDiffChars ? `${diff.slice(0, maxDiffChars)}\n… (diff truncated; read the files for the rest)` : diff) || "(no changes)" },
    ],
  });
}

/**
 * Puts the winner's commits on the task's branch (a fast-forward: attempts start from it),
 * adds the tester's files when they were written on another attempt, pushes, and deletes
 * every attempt branch. Safe to repeat.
 */
export async function adoptWinningAttempt(options: { context: TaskContext; winner: AttemptSlot | null; slots: AttemptSlot[]; testerFiles?: TestOverlay }): Promise<{ headSha: string | null }> {
  const { context, winner } = options;
  const task = context.task;
  const repo = { owner: context.repository.owner, repo: context.repository.name };
  let headSha: string | null = null;
  if (winner) {
    const opened = await openSessionWorkspace({ repository: context.repository, workspaceKey: taskCheckoutKey(task.id), branch: task.branch! });
    const cwd = opened.workspace;
    const winnerRef = `refs/remotes/origin/${winner.branch}`;
    const hasWinnerBranch = (await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", winnerRef], allowedExitCodes: [1] })).exitCode === 0;
    if (hasWinnerBranch) {
      await runGit({ cwd, args: ["merge", "--ff-only", "--quiet", winnerRef] });
      if (options.testerFiles?.files.length) {
        await runGit({ cwd, args: ["checkout", options.testerFiles.sha, "--", ...options.testerFiles.files] });
        await commitAll({ workspace: cwd, message: `factory(tester): tests for ${task.key}, written on another attempt` });
      }
      await pushBranch({ workspace: cwd, branch: task.branch!, token: opened.token, allowWorkflowChanges: context.run.allowWorkflowChanges });
    }
    headSha = (await runGit({ cwd, args: ["rev-parse", "HEAD"] })).stdout.trim();
  }
  for (const slot of options.slots) await deleteBranch({ ...repo, branch: slot.branch });
  return { headSha };
}

/** Per attempt: model, cost (its coder and any reviewer judging it), checks and outcome. */
export async function recordAttemptsOutcome(options: {
  context: TaskContext;
  plan: CoderAttemptsPlan;
  candidates: AttemptCandidate[];
  stopReasons: Record<number, string | null>;
  winner: number | null;
}) {
  const { context, plan } = options;
  const task = context.task;
  const costs = await db.agentSession.groupBy({ by: ["attempt"], where: { taskId: task.id, attempt: { not: null }, followUpId: null }, _sum: { costUsd: true } });
  const costOf = (attempt: number) => costs.find((row) => row.attempt === attempt)?._sum.costUsd ?? new Prisma.Decimal(0);
  const attempts = plan.slots.map((slot) => {
    const candidate = options.candidates.find((c) => c.attempt === slot.attempt);
    const isFinished = candidate?.isFinished ?? false;
    return {
      attempt: slot.attempt,
      model: slot.model,
      branch: slot.branch,
      costUsd: costOf(slot.attempt).toFixed(6),
      stopReason: options.stopReasons[slot.attempt] ?? null,
      testResult: candidate?.testResult ?? null,
      newFailures: candidate?.newFailures ?? null,
      failToPass: candidate?.failToPass ?? null,
      verdict: candidate?.verdict ?? null,
      diffLines: candidate?.diffLines ?? null,
      outcome: slot.attempt === options.winner ? "won" : isFinished ? "lost" : "unfinished",
    };
  });
  const totalUsd = plan.slots.reduce((sum, slot) => sum.plus(costOf(slot.attempt)), new Prisma.Decimal(0));
  await recordRunEvent({
    runId: context.run.id,
    type: "task.attempts",
    payload: {
      taskKey: task.key,
      requested: plan.requested,
      ran: plan.slots.length,
      winner: options.winner,
      totalCostUsd: totalUsd.toFixed(6),
      attempts,
      message: options.winner
        ? `${task.key}: attempt ${options.winner} of ${plan.slots.length} won (${describeWin(attempts.find((a) => a.attempt === options.winner)!)}); the attempts cost $${totalUsd.toFixed(4)}`
        : `${task.key}: none of ${plan.slots.length} coder attempts finished; they cost $${totalUsd.toFixed(4)}`,
    },
  });
}

function describeWin(attempt: { testResult: string | null; newFailures: number | null; verdict: string | null; diffLines: number | null }): string {
  const tests = attempt.testResult === "not_run" ? "no tests ran" : attempt.newFailures ? `${attempt.newFailures} new failing test(s)` : "tests pass";
  return [tests, attempt.verdict ? `review: ${attempt.verdict.replace("_", " ")}` : null, `${attempt.diffLines ?? 0} changed lines`].filter(Boolean).join(", ");
}

/** Deletes the attempt branches a task that failed mid-way left behind (its attempts are its sessions'). */
export async function deleteLeftoverAttemptBranches(options: { taskId: string }): Promise<{ deleted: string[] }> {
  const task = await db.task.findUniqueOrThrow({
    where: { id: options.taskId },
    select: { key: true, runId: true, run: { select: { repository: { select: { owner: true, name: true } } } }, sessions: { where: { attempt: { not: null } }, distinct: ["attempt"], orderBy: { attempt: "asc" }, select: { attempt: true } } },
  });
  const repository = task.run.repository;
  if (!repository) return { deleted: [] };
  const deleted: string[] = [];
  for (const { attempt } of task.sessions) {
    const branch = buildBranchName({ runId: task.runId, taskKey: task.key, attempt });
    if ((await deleteBranch({ owner: repository.owner, repo: repository.name, branch })).isDeleted) deleted.push(branch);
  }
  return { deleted };
}
