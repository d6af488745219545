// Works one task to a reviewed pull request. It holds the task branch's lease from its first
// write to its end, then: branch (stacked on its dependencies), coder (or best-of-N coder
// attempts, the winner's work landing on the task's branch), push, draft PR, tester (whose
// tests must fail on the base commit), and up to the run's iteration limit: merge the
// moved base, tests (structured, against the base's baseline), CI for the pushed head sha,
// review, and a fixer fed the failing tests, the CI output and the review. Reviewer and fixer
// climb their model ladders after the run's escalateAfter iterations without converging.
import { invoke } from "inngest";
import { z } from "zod";
import type { SessionOutcome } from "@/lib/agents/agent-session";
import { submitReviewInput } from "@/lib/agents/roles";
import { buildBranchName, taskLeaseHolder } from "@/lib/git/branches";
import { openTaskPullRequest } from "@/lib/github/pull-requests";
import { beginTask, markTaskReady, setTaskStatus, updateTaskStatusComment } from "@/lib/tasks/task-status";
import { branchLeaseKey, cleanupTaskWorkspaces, syncTaskBranch } from "@/lib/tasks/task-branch";
import { loadTaskContextOrThrow, describeTask, startRoleSession } from "@/lib/tasks/role-sessions";
import { deleteLeftoverAttemptBranches, planCoderAttempts } from "@/lib/tasks/coder-attempts";
import { publishTaskReview, noCiLine, type TaskCi, readTaskDiff, recordTaskIteration, runTaskChecks } from "@/lib/tasks/iteration";
import { judgeFailToPass, type FailOnBaseProof } from "@/lib/testing/test-results";
import { holdBranchLease, releaseBranchLease, waitForCi, runCoderAttemptSteps, runSessionSteps, runTesterSteps } from "@/workflows/task-steps";
import { inngest } from "@/lib/inngest";
import { runCancelled } from "@/lib/events";
const runTaskInput = z.object({ runId: z.string(), taskId: z.string() });

/** What run-spec gets back from invoking run-task (JSON across the step boundary, so validated there). */
export const taskOutcomeSchema = z.object({ taskId: z.string(), status: z.enum(["succeeded", "failed", "budget_exhausted"]), reason: z.string().optional() });
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;


/** The lease key of the task's branch (the branch name is fixed before it exists). */
async function readLeaseKey(options: { runId: string; taskId: string }): Promise<string> {
  const { repository, task } = await loadTaskContextOrThrow(options);
  return branchLeaseKey(repository, task.branch ?? buildBranchName({ runId: options.runId, taskKey: task.key }));
}

/** A session that ended without its terminal tool ends the task, with the reason. */
function sessionFailure(outcome: SessionOutcome, role: string): Omit<TaskOutcome, "taskId"> | null {
  if (outcome.stopReason === "finished" || outcome.stopReason === "submitted") return null;
  if (outcome.stopReason === "budget_exhausted") return { status: "budget_exhausted", reason: `The budget ran out during the ${role} session.` };
  return { status: "failed", reason: `The ${role} session stopped: ${outcome.stopReason}${outcome.error ? ` (${outcome.error})` : ""}.` };
}

export const runTask = inngest.createFunction(
  {
    id: "run-task",
    retries: 3,
    triggers: [invoke(runTaskInput)],
    cancelOn: [{ event: runCancelled, if: "async.data.runId == event.data.runId" }],
    onFailure: async ({ event, error, step }) => {
      const { runId, taskId } = runTaskInput.parse(event.data.event.data);
      await step.run("mark-task-failed", () => setTaskStatus({ taskId, status: "failed", reason: `The run-task workflow failed: ${error.message}` }));
      await step.run("delete-attempt-branches", () => deleteLeftoverAttemptBranches({ taskId }));
      await step.run("cleanup-workspaces", () => cleanupTaskWorkspaces({ taskId }));
      const key = await step.run("read-lease-key", () => readLeaseKey({ runId, taskId }));
      await releaseBranchLease(step, { key, holder: taskLeaseHolder(taskId), stepPrefix: "lease-on-failure" });
    },
  },
  async ({ event, step }): Promise<TaskOutcome> => {
    const { runId, taskId } = event.data;
    const load = () => loadTaskContextOrThrow({ runId, taskId });
    const lease = { key: await step.run("read-lease-key", () => readLeaseKey({ runId, taskId })), holder: taskLeaseHolder(taskId) };
    const end = async (outcome: Omit<TaskOutcome, "taskId">, iteration: number): Promise<TaskOutcome> => {
      await step.run("finish-task", () => setTaskStatus({ taskId, status: outcome.status, iteration, reason: outcome.reason }));
      // Its clones (sessions', checkouts, attempts') go; the branch and the database keep the work.
      await step.run("cleanup-workspaces", () => cleanupTaskWorkspaces({ taskId }));
      await releaseBranchLease(step, { ...lease, stepPrefix: "lease-end" });
      return { taskId, ...outcome };
    };

    // One writer per branch: a human follow-up on this PR waits until the task is done.
    await holdBranchLease(step, { ...lease, stepPrefix: "lease" });
    const { branch, baseBranch, mergeBranches } = await step.run("begin-task", () => beginTask({ taskId }));
    if (mergeBranches.length) {
      await step.run("merge-dependencies", async () => syncTaskBranch({ context: await load(), branches: mergeBranches }));
    }

    const limits = await step.run("read-limits", async () => {
      const context = await load();
      return { maxIterations: context.run.maxIterations, hasCi: context.repository.hasCi, hasTests: context.commands.testCommand !== null };
    });
    const attempts = await step.run("plan-coder-attempts", async () => planCoderAttempts({ context: await load() }));

    // The coder's first pass: one session on the task's branch, or best-of-N attempts whose
    // winner lands on it. The tester follows the coder's first pass: it writes against the
    // real interface, and its tests are proven to fail on the base commit (fail-to-pass).
    let proof: FailOnBaseProof | null = null;
    if (attempts.slots.length === 0) {
      const coderId = await step.run("start-coder", async () => {
        const context = await load();
        return startRoleSession({ context, role: "coder", task: describeTask(context.task), branch, iteration: 1 });
      });
      const coded = await runSessionSteps(step, { sessionId: coderId, stepPrefix: "code", lease });
      const coderFailure = sessionFailure(coded, "coder");
      if (coderFailure) return end(coderFailure, 0);
      await step.run("open-pull-request", async () => void (await openTaskPullRequest({ taskId })));
      if (limits.hasTests) {
        const tested = await runTesterSteps(step, { taskId, load, branch, lease });
        if (tested.isBudgetExhausted) return end({ status: "budget_exhausted", reason: "The budget ran out during the tester session." }, 0);
        proof = tested.proof;
      }
    } else {
      const picked = await runCoderAttemptSteps(step, { taskId, plan: attempts, hasTests: limits.hasTests, load, lease });
      if (!picked.winner) return end({ status: picked.status, reason: picked.reason }, 0);
      proof = picked.proof;
      await step.run("open-pull-request", async () => void (await openTaskPullRequest({ taskId })));
    }

    for (let iteration = 1; iteration <= limits.maxIterations; iteration++) {
      if (iteration > 1) await holdBranchLease(step, { ...lease, stepPrefix: `lease-iter-${iteration}` }); // renews it
      // A dependency that changed after review (or a moved default branch) comes in first.
      const sync = await step.run(`sync-base-iter-${iteration}`, async () => syncTaskBranch({ context: await load(), branches: [baseBranch, ...mergeBranches] }));
      const checks = await step.run(`test-iter-${iteration}`, async () => runTaskChecks({ context: await load(), iteration }));
      const failToPass = judgeFailToPass(proof, { outcome: checks.testResult, format: checks.format, failingKeys: checks.failingKeys });
      await step.run(`record-tests-iter-${iteration}`, () => recordTaskIteration({ runId, taskId, iteration, update: { tests: checks, failToPass } }));

      const ci: TaskCi = limits.hasCi
        ? await waitForCi(step, { runId, taskId, sha: checks.headSha, stepSuffix: `iter-${iteration}`, lease })
        : { state: "none", failure: "", line: noCiLine };
      if (limits.hasCi) await step.run(`record-ci-iter-${iteration}`, () => recordTaskIteration({ runId, taskId, iteration, update: { ciConclusion: ci.state } }));
      const notes = [
        ...(checks.testResult === "not_run" ? [checks.feedback] : []),
        ci.line,
        ...(checks.preexisting.length ? [`${checks.preexisting.length} failing test(s) also fail on the base commit; they do not block this PR.`] : []),
        ...(proof ? [`Tester's tests: ${proof.note} Fail-to-pass: ${failToPass.replace("_", " ")}.`] : []),
        ...sync.conflicts.map((conflict) => `Merging ${conflict.branch} conflicts in ${conflict.files.join(", ")}; not merged.`),
      ];
      const testSection = [checks.feedback, ci.line, ci.failure].filter(Boolean).join("\n\n");

      const reviewerId = await step.run(`start-reviewer-iter-${iteration}`, async () => {
        const context = await load();
        const diff = await readTaskDiff({ context });
        return startRoleSession({
          context, role: "reviewer", iteration, iterationsWithoutConverging: iteration - 1, branch: null, task: describeTask(context.task),
          feedback: [{ source: "test-results", text: testSection }, { source: "diff", text: diff || "(no changes)" }],
        });
      });
      const reviewed = await runSessionSteps(step, { sessionId: reviewerId, stepPrefix: `review-iter-${iteration}`, lease });
      const reviewFailure = sessionFailure(reviewed, "reviewer");
      if (reviewFailure) return end(reviewFailure, iteration);
      const review = submitReviewInput.parse(reviewed.result);
      await step.run(`publish-review-iter-${iteration}`, async () => publishTaskReview({ context: await load(), iteration, review, sessionId: reviewerId }));
      await step.run(`record-review-iter-${iteration}`, () =>
        recordTaskIteration({ runId, taskId, iteration, update: { review: { verdict: review.verdict, findings: review.comments.length } } }),
      );
      await step.run(`status-comment-iter-${iteration}`, async () =>
        updateTaskStatusComment({ context: await load(), iteration, testResult: checks.testResult, verdict: review.verdict, note: notes.join("\n\n") }),
      );

      const isGreen = !checks.isBlocking && ci.state !== "failure" && review.verdict === "approve";
      if (isGreen) {
        await step.run("mark-ready", async () => markTaskReady({ context: await load() }));
        return end({ status: "succeeded" }, iteration);
      }
      if (iteration === limits.maxIterations) {
        const tests = checks.isBlocking ? "failing" : checks.testResult.replace("_", " ");
        return end({ status: "failed", reason: `Not green and approved after ${limits.maxIterations} iteration(s): tests ${tests}, CI ${ci.state}, review ${review.verdict}.` }, iteration);
      }

      const fixerId = await step.run(`start-fixer-iter-${iteration}`, async () => {
        const context = await load();
        const comments = review.comments.map((c) => `${c.path}:${c.line}: ${c.body}`).join("\n");
        return startRoleSession({
          context, role: "fixer", iteration, iterationsWithoutConverging: iteration, branch, task: describeTask(context.task),
          feedback: [
            { source: "test-results", text: checks.feedback },
            ...(ci.state === "failure" ? [{ source: "ci", text: `${ci.line}\n\n${ci.failure}` }] : []),
            { source: "review", text: `${review.verdict}: ${review.summary}\n${comments}` },
          ],
        });
      });
      const fixed = await runSessionSteps(step, { sessionId: fixerId, stepPrefix: `fix-iter-${iteration}`, lease });
      await step.run(`record-cost-iter-${iteration}`, () => recordTaskIteration({ runId, taskId, iteration, update: {} }));
      const fixerFailure = sessionFailure(fixed, "fixer");
      if (fixerFailure) return end(fixerFailure, iteration);
    }
    return end({ status: "failed", reason: "The iteration limit is 0." }, 0);
  },
);
