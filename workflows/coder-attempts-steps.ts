// Best-of-N as workflow steps: N coder sessions in parallel on their own branches, the same
// checks on each (tests; the tester, run once on the leading attempt, has its tests laid over
// every other attempt), a reviewer only among attempts the checks cannot separate, then the
// winner onto the task's branch and every attempt branch deleted. The rule: lib/tasks/coder-attempts.ts.
import type { GetStepTools } from "inngest";
import type { SessionOutcome } from "../lib/agents/session-outcome";
import { submitReviewInput } from "../lib/agents/terminal-tools";
import {
  adoptWinningAttempt, checkCoderAttempt, rankAttempts, recordAttemptsOutcome, startAttemptReview, startCoderAttempt, tiedOnChecks,
  type AttemptCandidate, type AttemptCheck, type AttemptSlot, type CoderAttemptsPlan,
} from "../lib/tasks/coder-attempts";
import type { TaskContext } from "../lib/tasks/load-work-context";
import type { TestOverlay } from "../lib/tasks/run-task-checks";
import type { FailOnBaseProof } from "../lib/testing";
import type { inngest } from "@/lib/inngest";
import { runSessionSteps } from "./run-session-steps";
import { runTesterSteps } from "./tester-steps";

type Step = GetStepTools<typeof inngest>;

export type AttemptsResult =
  | { winner: AttemptSlot; proof: FailOnBaseProof | null }
  | { winner: null; status: "failed" | "budget_exhausted"; reason: string };

export async function runCoderAttemptSteps(
  step: Step,
  options: { taskId: string; plan: CoderAttemptsPlan; hasTests: boolean; load: () => Promise<TaskContext> },
): Promise<AttemptsResult> {
  const { plan, load } = options;
  const outcomes: SessionOutcome[] = await Promise.all(
    plan.slots.map(async (slot) => {
      const sessionId = await step.run(`start-coder-attempt-${slot.attempt}`, async () => startCoderAttempt({ context: await load(), slot }));
      return runSessionSteps(step, { sessionId, stepPrefix: `code-attempt-${slot.attempt}` });
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
    const tested = await runTesterSteps(step, { taskId: options.taskId, load, branch: leader.branch, attempt: { number: leader.attempt, branch: leader.branch } });
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
        const reviewed = await runSessionSteps(step, { sessionId: reviewerId, stepPrefix: `review-attempt-${candidate.attempt}` });
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
