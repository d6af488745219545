// One iteration's feedback: tests, CI, the diff, the tester's proof, the review, and its record.
import type { SubmitReviewResult } from "@/lib/agents/roles";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { FailToPass, ReviewVerdict, TestOutcome } from "@/lib/generated/prisma/enums";
import { runGit } from "@/lib/git/run-git";
import { describeCiFailure, readCiStatus, openSessionWorkspace } from "@/lib/github/repository";
import { postReview, saveReviewOnce } from "@/lib/github/reviews";
import { recordRunEvent } from "@/lib/runs/run-events";
import { buildCommandKey, readOrRunTestBaseline, runTests, saveTestBaseline } from "@/lib/testing/run-tests";
import { classifyFailures, formatTestFeedback, proveFailOnBase, testKey, type FailingTest, type FailOnBaseProof, type ReportFormat } from "@/lib/testing/test-results";
import { type TaskContext, resolveBaseSha, taskCheckoutKey, loadRunContextOrThrow, attemptCheckoutKey, openCommitWorkspace, taskBaseCheckoutKey } from "./role-sessions";

const maxDiffChars = 60_000;

/** The task branch's change against the commit it started from (its base branch), as the reviewer sees it. */
export async function readTaskDiff(options: { context: TaskContext }): Promise<string> {
  const task = options.context.task;
  const { workspace, defaultBranch } = await openSessionWorkspace({ repository: options.context.repository, workspaceKey: taskCheckoutKey(task.id), branch: task.branch! });
  const baseSha = await resolveBaseSha({ workspace, baseBranch: task.baseBranch, defaultBranch });
  const { stdout } = await runGit({ cwd: workspace, args: ["diff", "--no-color", "--no-ext-diff", baseSha, "HEAD"] });
  return stdout.length > maxDiffChars ? `${stdout.slice(0, maxDiffChars)}\n… (diff truncated; read the files for the rest)` : stdout;
}

// GitHub CI for the task's pushed head sha, reduced to what the loop acts on.
export type TaskCi = {
  state: "pending" | "success" | "failure" | "timed_out" | "none";
  /** What a fixer reads when CI failed: each failed check's title, summary and annotations. */
  failure: string;
  /** One line for the status comment and the reviewer. */
  line: string;
};

export async function readTaskCi(options: { runId: string; taskId: string; sha: string }): Promise<TaskCi> {
  const { repository } = await loadRunContextOrThrow(options);
  const status = await readCiStatus({ owner: repository.owner, repo: repository.name, sha: options.sha });
  const names = status.checkRuns.map((run) => `${run.name}: ${run.conclusion ?? run.status}`).concat(status.statuses.map((s) => `${s.context}: ${s.state}`));
  const line = `CI on ${options.sha.slice(0, 7)}: ${status.state === "success" ? "passed" : status.state === "failure" ? "failed" : "pending"}${names.length ? ` (${names.join(", ")})` : ""}`;
  return { state: status.state, failure: status.state === "failure" ? describeCiFailure(status) : "", line };
}

export const noCiLine = "CI: none configured for this repository (no .github/workflows), so only the factory's own test run counts.";
export const ciTimedOutLine = (sha: string, minutes: number) => `CI on ${sha.slice(0, 7)}: no result within ${minutes} minutes; going on without it.`;

// The deterministic feedback of the loop: the task's tests on the pushed branch head, read
// per test, and compared with the same tests on the base commit (run once per base sha and
// cached), so new failures are told from pre-existing ones.
/**
 * One test run of a task branch, as workflows and follow-ups use it. `feedback` is what the
 * fixer and the reviewer read (failing tests with messages first, then the raw tail);
 * `isBlocking` is false when every failure also fails on the base commit.
 */
export type TaskChecks = {
  testResult: "passed" | "failed" | "not_run";
  isBlocking: boolean;
  headSha: string;
  baseSha: string;
  passed: number | null;
  failed: number | null;
  newFailures: FailingTest[];
  preexisting: FailingTest[];
  /** Keys (testKey) of every failing test, for the fail-to-pass judgement. */
  failingKeys: string[];
  format: ReportFormat | null;
  feedback: string;
  outputTail: string;
};

/** @deprecated name kept for callers written before structured results; same shape. */
export type CheckResult = TaskChecks;

/** Test files of another commit to lay over the checked-out head before testing (not committed). */
export type TestOverlay = { sha: string; files: string[] };

export async function runTaskChecks(options: {
  context: TaskContext;
  iteration: number;
  /** A best-of-N attempt's branch and number; default: the task's own branch. */
  attempt?: { number: number; branch: string };
  /** The tester's files, tested on an attempt they were not written on. */
  overlay?: TestOverlay;
}): Promise<TaskChecks> {
  const { context, iteration, attempt } = options;
  const task = context.task;
  const { commands, repository } = context;
  const branch = attempt?.branch ?? task.branch!;
  const workspaceKey = attempt ? attemptCheckoutKey(task.id, attempt.number) : taskCheckoutKey(task.id);
  const opened = await openSessionWorkspace({ repository, workspaceKey, branch });
  const baseSha = await resolveBaseSha({ workspace: opened.workspace, baseBranch: task.baseBranch, defaultBranch: opened.defaultBranch });
  if (options.overlay?.files.length) {
    await runGit({ cwd: opened.workspace, args: ["checkout", options.overlay.sha, "--", ...options.overlay.files] });
  }
  const run = await runTests({ workspace: opened.workspace, ...commands });
  // The base commit only matters when something failed; its run is cached per sha.
  const baseline = run.outcome === "failed"
    ? await readOrRunTestBaseline({
        repositoryId: repository.id,
        baseSha,
        commands,
        runOnBase: async () => {
          // Attempts are checked in parallel: each runs the base (once, then cached) in its own clone.
          const baseKey = attempt ? `${taskBaseCheckoutKey(task.id)}-attempt-${attempt.number}` : taskBaseCheckoutKey(task.id);
          const base = await openCommitWorkspace({ repository, workspaceKey: baseKey, branch, sha: baseSha });
          return runTests({ workspace: base.workspace, ...commands });
        },
      })
    : null;
  const classified = classifyFailures(run, baseline);
  const result: TaskChecks = {
    testResult: run.outcome,
    isBlocking: classified.isBlocking,
    headSha: opened.headSha,
    baseSha,
    passed: run.passed,
    failed: run.failed,
    newFailures: classified.newFailures,
    preexisting: classified.preexisting,
    failingKeys: run.tests.filter((test) => test.status === "failed").map(testKey).slice(0, 1_000),
    format: run.format,
    feedback: formatTestFeedback({ run, classified }),
    outputTail: run.outputTail,
  };
  await recordRunEvent({
    runId: context.run.id,
    type: "task.tests",
    payload: {
      taskKey: task.key, iteration, ...(attempt ? { attempt: attempt.number } : {}), testResult: run.outcome, headSha: opened.headSha, passed: run.passed, failed: run.failed,
      newFailures: classified.newFailures.map((test) => test.name).slice(0, 20), preexisting: classified.preexisting.length,
      isBlocking: classified.isBlocking, message: run.notRunReason, outputTail: run.outputTail.slice(-2_000),
    },
  });
  return result;
}

// Fail-to-pass, first half: the tester's new or changed test files, applied to the task's
// base commit, must fail there. A test that passes on the base does not test the change.
/** Test files by the usual conventions of JS/TS, Python, Go, Ruby, Java and Rust's tests/ dir. */
const testFilePattern = /(^|\/)(tests?|__tests__|spec)\/|[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.(py|go)$|_spec\.rb$|Tests?\.(java|kt|cs)$/;

function isTestFile(file: string): boolean {
  return testFilePattern.test(file);
}

export async function proveTesterTests(options: {
  context: TaskContext;
  testerStartSha: string;
  /** The best-of-N attempt the tester worked on; default: the task's own branch. */
  attempt?: { number: number; branch: string };
}): Promise<FailOnBaseProof> {
  const { context, attempt } = options;
  const task = context.task;
  const branch = attempt?.branch ?? task.branch!;
  const workspaceKey = attempt ? attemptCheckoutKey(task.id, attempt.number) : taskCheckoutKey(task.id);
  const opened = await openSessionWorkspace({ repository: context.repository, workspaceKey, branch });
  const { stdout } = await runGit({ cwd: opened.workspace, args: ["diff", "--name-only", "--no-renames", "--diff-filter=AM", "-z", options.testerStartSha, "HEAD"] });
  const testerFiles = stdout.split("\0").filter((file) => file && isTestFile(file));
  const baseSha = await resolveBaseSha({ workspace: opened.workspace, baseBranch: task.baseBranch, defaultBranch: opened.defaultBranch });

  const base = await openCommitWorkspace({ repository: context.repository, workspaceKey: taskBaseCheckoutKey(task.id), branch, sha: baseSha });
  const onBase = await runTests({ workspace: base.workspace, ...context.commands });
  await saveTestBaseline({ repositoryId: context.repository.id, baseSha, commandKey: buildCommandKey(context.commands) }, onBase);
  if (testerFiles.length) {
    await runGit({ cwd: base.workspace, args: ["checkout", opened.headSha, "--", ...testerFiles] });
  }
  const withTesterTests = testerFiles.length ? await runTests({ workspace: base.workspace, ...context.commands }) : onBase;
  return proveFailOnBase({ base: onBase, withTesterTests, testerFiles });
}

/** Posts the reviewer's verdict as a GitHub review on the task's PR and records it. Idempotent per iteration. */
export async function publishTaskReview(options: { context: TaskContext; iteration: number; review: SubmitReviewResult; sessionId: string }) {
  const { context, iteration, review } = options;
  const task = context.task;
  const pullRequest = await db.pullRequest.findUniqueOrThrow({ where: { taskId: task.id }, select: { id: true, number: true } });
  const posted = await postReview({
    owner: context.repository.owner,
    repo: context.repository.name,
    number: pullRequest.number,
    key: `${context.run.id}-${task.key}-iter${iteration}`,
    verdict: review.verdict,
    summary: review.summary,
    comments: review.comments,
  });
  await db.$transaction(async (tx) => {
    await saveReviewOnce(
      {
        pullRequestId: pullRequest.id,
        source: "factory",
        githubReviewId: posted.id,
        verdict: review.verdict,
        body: review.summary,
        comments: review.comments,
        iteration,
        sessionId: options.sessionId,
      },
      tx,
    );
    if (posted.isCreated) {
      await recordRunEvent(
        { runId: context.run.id, type: "review.posted", payload: { taskKey: task.key, iteration, verdict: review.verdict, url: posted.url, comments: review.comments.length } },
        tx,
      );
    }
  });
  return { verdict: review.verdict, url: posted.url };
}

// The convergence record: one TaskIteration row per task and iteration, filled in as the
// iteration goes (tests, fail-to-pass, CI, review) and re-costed from its sessions each time.
export type IterationUpdate = {
  tests?: Pick<TaskChecks, "testResult" | "headSha" | "passed" | "failed" | "newFailures" | "preexisting">;
  failToPass?: FailToPass;
  ciConclusion?: string | null;
  review?: { verdict: ReviewVerdict; findings: number };
};

export async function recordTaskIteration(options: { runId: string; taskId: string; iteration: number; update: IterationUpdate }) {
  const { runId, taskId, iteration, update } = options;
  const data: Prisma.TaskIterationUncheckedUpdateInput = { costByRole: await readCostByRole({ taskId, iteration }) };
  if (update.tests) {
    const failingTests = [
      ...update.tests.newFailures.map((test) => ({ ...test, isNew: true })),
      ...update.tests.preexisting.map((test) => ({ ...test, isNew: false })),
    ];
    Object.assign(data, {
      headSha: update.tests.headSha,
      testOutcome: update.tests.testResult satisfies TestOutcome,
      testsPassed: update.tests.passed,
      testsFailed: update.tests.failed,
      failingTests,
      preexistingFailures: update.tests.preexisting.length,
    });
  }
  if (update.failToPass) data.failToPass = update.failToPass;
  if (update.ciConclusion !== undefined) data.ciConclusion = update.ciConclusion;
  if (update.review) Object.assign(data, { reviewVerdict: update.review.verdict, reviewFindings: update.review.findings });
  await db.taskIteration.upsert({
    where: { taskId_iteration: { taskId, iteration } },
    create: { ...(data as Prisma.TaskIterationUncheckedCreateInput), runId, taskId, iteration },
    update: data,
  });
}

/**
 * USD per role spent in this iteration: its reviewer and fixer, and for the first iteration
 * also the coder's first pass and the tester (sessions numbered 0 or 1).
 */
async function readCostByRole(options: { taskId: string; iteration: number }): Promise<Record<string, string>> {
  const iterations = options.iteration === 1 ? [0, 1] : [options.iteration];
  const rows = await db.agentSession.groupBy({
    by: ["role"],
    where: { taskId: options.taskId, iteration: { in: iterations }, followUpId: null },
    _sum: { costUsd: true },
  });
  return Object.fromEntries(rows.map((row) => [row.role, (row._sum.costUsd?.toFixed(6) ?? "0")]));
}
