// The deterministic feedback of the loop: the task's tests on the pushed branch head, read
// per test, and compared with the same tests on the base commit (run once per base sha and
// cached), so new failures are told from pre-existing ones.
import { recordRunEvent } from "../runs/record-run-event";
import { classifyFailures, formatTestFeedback, readOrRunTestBaseline, runTests, testKey, type FailingTest, type ReportFormat } from "../testing";
import type { TaskContext } from "./load-work-context";
import { runGit } from "../git/run-git";
import { attemptCheckoutKey, openCommitWorkspace, openSessionWorkspace, resolveBaseSha, taskBaseCheckoutKey, taskCheckoutKey } from "./open-session-workspace";

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
