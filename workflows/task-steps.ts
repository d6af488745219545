// Durable step sequences the workflows share: sessions, CI waits, the tester, branch leases,
// coder attempts, and how a failed workflow ends its run.
import { NonRetriableError, type GetStepTools } from "inngest";
import { sessionOutcomeSchema, type SessionOutcome } from "@/lib/agents/agent-session";
import { submitReviewInput } from "@/lib/agents/roles";
import { branchReleased, githubCheckSuiteCompleted, runFinished } from "@/lib/events";
import type { inngest } from "@/lib/inngest";
import { adoptWinningAttempt, checkCoderAttempt, rankAttempts, recordAttemptsOutcome, startAttemptReview, startCoderAttempt, tiedOnChecks, type AttemptCandidate, type AttemptCheck, type AttemptSlot, type CoderAttemptsPlan } from "@/lib/tasks/coder-attempts";
import { ciTimedOutLine, readTaskCi, type TaskCi, proveTesterTests, type TestOverlay } from "@/lib/tasks/iteration";
import { runSessionChunk, type TaskContext, attemptCheckoutKey, taskCheckoutKey, describeTask, startRoleSession } from "@/lib/tasks/role-sessions";
import { openSessionWorkspace } from "@/lib/github/repository";
import { finishRun } from "@/lib/runs/run-lifecycle";
import { acquireBranchLease, releaseBranchLease as releaseLease, type BranchLeaseRequest } from "@/lib/tasks/task-branch";
import type { FailOnBaseProof } from "@/lib/testing/test-results";

// Runs an agent session as a series of durable steps, one chunk of turns each, so a crashed
// worker loses at most one chunk and the next attempt resumes on any worker.
type Step = GetStepTools<typeof inngest>;

/** More chunks than any role's turn limit allows; a guard, not a limit anyone should reach. */
const maxChunks = 100;

export type SessionStepsOptions = {
  sessionId: string;
  stepPrefix: string;
  /** The branch lease the caller holds: renewed before every chunk, so a long session keeps it. */
  lease?: BranchLeaseRequest;
};

export async function runSessionSteps(step: Step, options: SessionStepsOptions): Promise<SessionOutcome> {
  const { lease } = options;
  for (let chunk = 1; chunk <= maxChunks; chunk++) {
    const outcome = sessionOutcomeSchema.parse(
      await step.run(`${options.stepPrefix}-chunk-${chunk}`, async () => {
        if (lease) await keepBranchLease(lease);
        return runSessionChunk({ sessionId: options.sessionId });
      }),
    );
    if (outcome.isDone) return outcome;
  }
  throw new Error(`Session ${options.sessionId} did not end within ${maxChunks} chunks`);
}

// Waits for GitHub CI on one pushed commit. The state is read first (a suite that finished
// before the wait began is seen), then the function waits for a check_suite.completed event
// for this head sha only (never the branch: an older push's suite must not count), re-reading
// after each event or every few minutes (several suites, or an event that slipped in between
// the read and the wait), until a deadline.
const recheckMinutes = 5;
const ciTimeoutMinutes = 30;

export async function waitForCi(step: Step, options: { runId: string; taskId: string; sha: string; stepSuffix: string; lease?: BranchLeaseRequest }): Promise<TaskCi> {
  if (!/^[0-9a-f]{40}$/.test(options.sha)) throw new Error(`Not a commit sha: ${options.sha}`);
  const rounds = ciTimeoutMinutes / recheckMinutes;
  for (let round = 1; round <= rounds + 1; round++) {
    const ci = await step.run(`read-ci-${options.stepSuffix}-${round}`, async () => {
      if (options.lease) await keepBranchLease(options.lease);
      return readTaskCi(options);
    });
    if (ci.state !== "pending" || round > rounds) return ci.state === "pending" ? { state: "timed_out", failure: "", line: ciTimedOutLine(options.sha, ciTimeoutMinutes) } : ci;
    await step.waitForEvent(`wait-ci-${options.stepSuffix}-${round}`, {
      event: githubCheckSuiteCompleted,
      timeout: `${recheckMinutes}m`,
      if: `async.data.headSha == '${options.sha}'`,
    });
  }
  throw new Error("unreachable");
}

// The tester after the coder's first pass: it writes against the real interface, and its tests
// are then proven to fail on the base commit (fail-to-pass, first half). A test that passes
// there goes back to it, up to maxTesterSessions sessions.
/** Tester sessions per task: the first, and retries when its tests pass on the base commit. */
const maxTesterSessions = 3;

export type TesterResult = {
  proof: FailOnBaseProof | null;
  isBudgetExhausted: boolean;
  /** The branch head after the tester: where its test files can be read from. */
  headSha: string | null;
};

export async function runTesterSteps(
  step: Step,
  options: { taskId: string; load: () => Promise<TaskContext>; branch: string; attempt?: { number: number; branch: string }; lease?: BranchLeaseRequest },
): Promise<TesterResult> {
  const { taskId, load, branch, attempt, lease } = options;
  const workspaceKey = attempt ? attemptCheckoutKey(taskId, attempt.number) : taskCheckoutKey(taskId);
  const readHead = async () => {
    const context = await load();
    return (await openSessionWorkspace({ repository: context.repository, workspaceKey, branch })).headSha;
  };
  const testerStartSha = await step.run("read-head-before-tester", readHead);
  let proof: FailOnBaseProof | null = null;
  for (let session = 1; session <= maxTesterSessions; session++) {
    const previous = proof;
    const testerId = await step.run(`start-tester-${session}`, async () => {
      const context = await load();
      const feedback = previous?.passingOnBase.length ? [{ source: "fail-to-pass", text: describeTestsPassingOnBase(previous) }] : undefined;
      return startRoleSession({ context, role: "tester", task: describeTask(context.task), branch, iteration: 1, feedback });
    });
    const tested = await runSessionSteps(step, { sessionId: testerId, stepPrefix: `tester-${session}`, lease });
    if (tested.stopReason === "budget_exhausted") return { proof, isBudgetExhausted: true, headSha: null };
    if (tested.stopReason !== "finished") break; // no tests of its own: the loop goes on with the coder's
    proof = await step.run(`prove-tests-fail-on-base-${session}`, async () => proveTesterTests({ context: await load(), testerStartSha, attempt }));
    if (proof.passingOnBase.length === 0) break;
  }
  const headSha = proof?.testerFiles.length ? await step.run("read-head-after-tester", readHead) : null;
  return { proof, isBudgetExhausted: false, headSha };
}

function describeTestsPassingOnBase(proof: FailOnBaseProof): string {
  return [
    "These tests do not test the change: they pass on the base commit, without the task's implementation.",
    ...proof.passingOnBase.map((name) => `- ${name}`),
    "",
    "Change them so each one fails without the change and passes with it, or remove them. Your test files applied to the base commit were:",
    ...proof.testerFiles.map((file) => `- ${file}`),
  ].join("\n");
}

// Durable steps around the branch lease (lib/tasks/task-branch.ts): a writer waits its turn
// without holding a worker, and wakes when the holder lets go. Inngest's concurrency keys count
// executing steps, not runs, so they cannot keep two runs off one branch; this can.
/**
 * How long a lease lasts without renewal. A holder renews it by acquiring again at its step
 * boundaries; a holder that crashed without releasing frees the branch after this.
 */
export const branchLeaseTtlMs = 60 * 60_000;

/**
 * A waiter re-checks the lease this often even without a release event: a release that lands
 * between a failed try and the wait, or a crashed holder whose lease expired, is never missed.
 */
const recheckAfter = "5m";

/** Waits of one writer before it gives up (each wait is two steps; Inngest caps steps per run). */
const maxWaits = 400;

export type HoldBranchLeaseOptions = {
  key: string;
  holder: string;
  /** Step-id prefix, unique within the calling function, e.g. `lease-iter-2`. */
  stepPrefix: string;
  ttlMs?: number;
  /**
   * True while an earlier writer of the same branch must go first (e.g. an older follow-up on
   * the same PR): the writer keeps waiting even if the lease is free, so writers go in order.
   */
  isQueuedBehind?: () => Promise<boolean>;
};

/**
 * Returns once `holder` holds the branch. Writers queue: each failed try waits for a
 * `factory/branch.released` event of this key (or the re-check time-out) and tries again.
 * Step ids are `${stepPrefix}-acquire-<n>` and `${stepPrefix}-wait-<n>`: deterministic, unique.
 */
export async function holdBranchLease(step: Step, options: HoldBranchLeaseOptions): Promise<{ waits: number }> {
  const ttlMs = options.ttlMs ?? branchLeaseTtlMs;
  for (let attempt = 1; attempt <= maxWaits + 1; attempt++) {
    const isAcquired = await step.run(`${options.stepPrefix}-acquire-${attempt}`, async () => {
      if (options.isQueuedBehind && (await options.isQueuedBehind())) return false;
      return acquireBranchLease({ key: options.key, holder: options.holder, ttlMs });
    });
    if (isAcquired) return { waits: attempt - 1 };
    if (attempt > maxWaits) break;
    await step.waitForEvent(`${options.stepPrefix}-wait-${attempt}`, {
      event: branchReleased,
      timeout: recheckAfter,
      if: `async.data.key == ${JSON.stringify(options.key)}`,
    });
  }
  throw new Error(`Gave up waiting for branch ${options.key} after ${maxWaits} waits; it is still held by another writer.`);
}

/**
 * Renews a lease the caller holds, inside one of its steps. A lease that expired and went to
 * another writer stops the work rather than let two writers change one branch.
 */
export async function keepBranchLease(lease: BranchLeaseRequest): Promise<void> {
  if (!(await acquireBranchLease({ ...lease, ttlMs: branchLeaseTtlMs }))) {
    throw new NonRetriableError(`Lost the lease of branch ${lease.key} to another writer; stopping rather than writing to the branch concurrently.`);
  }
}

/** Lets go of the branch (if still held) and wakes the writers waiting for it. */
export async function releaseBranchLease(step: Step, options: { key: string; holder: string; stepPrefix: string }): Promise<void> {
  await step.run(`${options.stepPrefix}-release`, () => releaseLease({ key: options.key, holder: options.holder }));
  await step.sendEvent(`${options.stepPrefix}-released`, branchReleased.create({ key: options.key, holder: options.holder }));
}

// Best-of-N as workflow steps: N coder sessions in parallel on their own branches, the same
// checks on each (tests; the tester, run once on the leading attempt, has its tests laid over
// every other attempt), a reviewer only among attempts the checks cannot separate, then the
// winner onto the task's branch and every attempt branch deleted. The rule: lib/tasks/coder-attempts.ts.
export type AttemptsResult =
  | { winner: AttemptSlot; proof: FailOnBaseProof | null }
  | { winner: null; status: "failed" | "budget_exhausted"; reason: string };

export async function runCoderAttemptSteps(
  step: Step,
  options: { taskId: string; plan: CoderAttemptsPlan; hasTests: boolean; load: () => Promise<TaskContext>; lease?: BranchLeaseRequest },
): Promise<AttemptsResult> {
  const { plan, load } = options;
  const outcomes: SessionOutcome[] = await Promise.all(
    plan.slots.map(async (slot) => {
      const sessionId = await step.run(`start-coder-attempt-${slot.attempt}`, async () => startCoderAttempt({ context: await load(), slot }));
      return runSessionSteps(step, { sessionId, stepPrefix: `code-attempt-${slot.attempt}`, lease: options.lease });
    }),
  );
  const stopReasons = Object.fromEntries(plan.slots.map((slot, index) => [slot.attempt, outcomes[index].stopReason]));
  const finished = plan.slots.filter((_slot, index) => outcomes[index].stopReason === "finished");
  const conclude = async (winner: AttemptSlot | null, candidates: AttemptCandidate[], overlay?: TestOverlay) => {
    await step.run("adopt-winning-attempt", async () => adoptWinningAttempt({ context: await load(), winner, slots: plan.slots, testerFiles: overlay }));
    await step.run("record-attempts", async () => recordAttemptsOutcome({ context: await load(), plan, candidates, stopReasons, winner: winner?.attempt ?? null }));
  };
  if (finished.length === 0) {
    await conclude(null, []);
    const isBudget = outcomes.some((outcome) => outcome.stopReason === "budget_exhausted");
    const reasons = plan.slots.map((slot, index) => `attempt ${slot.attempt}: ${outcomes[index].stopReason}`).join(", ");
    return isBudget
      ? { winner: null, status: "budget_exhausted", reason: `The budget ran out before any coder attempt finished (${reasons}).` }
      : { winner: null, status: "failed", reason: `No coder attempt finished (${reasons}).` };
  }

  const checkAll = (suffix: string, proof: FailOnBaseProof | null, overlayFor: (slot: AttemptSlot) => TestOverlay | undefined) =>
    Promise.all(finished.map((slot) => step.run(`check-attempt-${slot.attempt}${suffix}`, async () => checkCoderAttempt({ context: await load(), slot, proof, overlay: overlayFor(slot) }))));
  let checks: AttemptCheck[] = await checkAll("", null, () => undefined);
  const asCandidates = (list: AttemptCheck[]): AttemptCandidate[] => list.map((check) => ({ ...check, isFinished: true, verdict: null }));

  // The tester works once, on the attempt leading on tests; its tests then judge every attempt.
  let proof: FailOnBaseProof | null = null;
  let overlay: TestOverlay | undefined;
  let leader: AttemptSlot | undefined;
  if (options.hasTests) {
    leader = finished.find((slot) => slot.attempt === rankAttempts(asCandidates(checks))[0].attempt)!;
    const tested = await runTesterSteps(step, { taskId: options.taskId, load, branch: leader.branch, attempt: { number: leader.attempt, branch: leader.branch }, lease: options.lease });
    if (tested.isBudgetExhausted) {
      await conclude(null, asCandidates(checks));
      return { winner: null, status: "budget_exhausted", reason: "The budget ran out during the tester session." };
    }
    proof = tested.proof;
    if (proof && tested.headSha && proof.testerFiles.length) {
      overlay = { sha: tested.headSha, files: proof.testerFiles };
      const leaderSlot = leader;
      checks = await checkAll("-with-tester-tests", proof, (slot) => (slot.attempt === leaderSlot.attempt ? undefined : overlay));
    }
  }

  let candidates = asCandidates(checks);
  const tied = tiedOnChecks(candidates);
  if (tied.length > 1) {
    const verdicts = await Promise.all(
      tied.map(async (candidate) => {
        const reviewerId = await step.run(`start-attempt-review-${candidate.attempt}`, async () => startAttemptReview({ context: await load(), check: candidate }));
        const reviewed = await runSessionSteps(step, { sessionId: reviewerId, stepPrefix: `review-attempt-${candidate.attempt}`, lease: options.lease });
        return reviewed.stopReason === "submitted" ? submitReviewInput.parse(reviewed.result).verdict : null;
      }),
    );
    candidates = candidates.map((candidate) => {
      const index = tied.findIndex((t) => t.attempt === candidate.attempt);
      return index >= 0 ? { ...candidate, verdict: verdicts[index] } : candidate;
    });
  }
  const best = rankAttempts(candidates)[0];
  const winner = finished.find((slot) => slot.attempt === best.attempt)!;
  await conclude(winner, candidates, leader && winner.attempt !== leader.attempt ? overlay : undefined);
  return { winner, proof };
}

/**
 * A workflow that gave up (its retries spent) ends its run failed, so a run never stays running
 * without a worker, and announces it so the run's report goes out. For `onFailure` handlers.
 */
export async function failRunAfterWorkflowError(step: Step, options: { runId: string; workflow: string; error: Error }): Promise<void> {
  const status = await step.run("mark-run-failed", () =>
    finishRun({ runId: options.runId, status: "failed", reason: `The ${options.workflow} workflow failed: ${options.error.message}` }),
  );
  if (status === "failed") await step.sendEvent("send-run-finished", runFinished.create({ runId: options.runId, status: "failed" }));
}
