// Works one task to a reviewed pull request: coder, push, draft PR, then up to the run's
// iteration limit: tests, (CI), review, and a fixer when tests fail or review asks for changes.
import { invoke } from "inngest";
import { z } from "zod";
import type { SessionOutcome } from "../../lib/agents/session-outcome";
import { submitReviewInput } from "../../lib/agents/terminal-tools";
import { openTaskPullRequest } from "../../lib/github/open-task-pull-request";
import { readCiStatus } from "../../lib/github/read-ci-status";
import { beginTask } from "../../lib/tasks/begin-task";
import { loadWorkContext } from "../../lib/tasks/load-work-context";
import { markTaskReady } from "../../lib/tasks/mark-task-ready";
import { publishTaskReview } from "../../lib/tasks/publish-task-review";
import { readTaskDiff } from "../../lib/tasks/read-task-diff";
import { runTaskChecks } from "../../lib/tasks/run-task-checks";
import { setTaskStatus } from "../../lib/tasks/set-task-status";
import { describeTask, startRoleSession } from "../../lib/tasks/start-role-session";
import { updateTaskStatusComment } from "../../lib/tasks/update-task-status-comment";
import { inngest } from "../client";
import { githubCheckSuiteCompleted, runCancelled } from "../events";
import { failFastOnPermanentErrors } from "../permanent-errors";
import { runSessionSteps } from "../run-session-steps";

const runTaskInput = z.object({ runId: z.string(), taskId: z.string() });

export type TaskOutcome = { taskId: string; status: "succeeded" | "failed" | "budget_exhausted"; reason?: string };

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
      const { taskId } = runTaskInput.parse(event.data.event.data);
      await step.run("mark-task-failed", () => setTaskStatus({ taskId, status: "failed", reason: `The run-task workflow failed: ${error.message}` }));
    },
  },
  async ({ event, step }): Promise<TaskOutcome> => {
    const { runId, taskId } = event.data;
    const end = async (outcome: Omit<TaskOutcome, "taskId">, iteration: number): Promise<TaskOutcome> => {
      await step.run("finish-task", () => setTaskStatus({ taskId, status: outcome.status, iteration, reason: outcome.reason }));
      return { taskId, ...outcome };
    };

    const { branch } = await step.run("begin-task", () => beginTask({ taskId }));
    const coderId = await step.run("start-coder", async () => {
      const context = await loadWorkContext({ runId, taskId });
      return startRoleSession({ context, role: "coder", task: describeTask(context.task!), branch });
    });
    const coded = await runSessionSteps(step, { sessionId: coderId, stepPrefix: "code" });
    const coderFailure = sessionFailure(coded, "coder");
    if (coderFailure) return end(coderFailure, 0);
    await step.run("open-pull-request", () => failFastOnPermanentErrors(async () => void (await openTaskPullRequest({ taskId }))));

    const { maxIterations, hasCi } = await step.run("read-limits", async () => {
      const context = await loadWorkContext({ runId, taskId });
      return { maxIterations: context.run.maxIterations, hasCi: context.repository.hasCi };
    });

    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      const checks = await step.run(`test-iter-${iteration}`, async () => runTaskChecks({ context: await loadWorkContext({ runId, taskId }), iteration }));
      let testResult = checks.testResult;
      let ciNote = "";
      if (hasCi) {
        const suite = await step.waitForEvent(`wait-ci-iter-${iteration}`, {
          event: githubCheckSuiteCompleted,
          timeout: "30m",
          if: `async.data.headBranch == '${branch}'`,
        });
        ciNote = suite ? `CI: ${suite.data.conclusion ?? "unknown"}` : "CI: no result within 30 minutes";
        if (suite) {
          const ci = await step.run(`read-ci-iter-${iteration}`, async () => {
            const context = await loadWorkContext({ runId, taskId });
            return readCiStatus({ owner: context.repository.owner, repo: context.repository.name, sha: suite.data.headSha });
          });
          if (ci.state === "failure") testResult = "failed";
        }
      }

      const reviewerId = await step.run(`start-reviewer-iter-${iteration}`, async () => {
        const context = await loadWorkContext({ runId, taskId });
        const diff = await readTaskDiff({ context });
        return startRoleSession({
          context, role: "reviewer", iteration, branch: null, task: describeTask(context.task!),
          feedback: [{ source: "diff", text: diff || "(no changes)" }, { source: "test-output", text: `${testResult}\n${ciNote}\n${checks.outputTail}` }],
        });
      });
      const reviewed = await runSessionSteps(step, { sessionId: reviewerId, stepPrefix: `review-iter-${iteration}` });
      const reviewFailure = sessionFailure(reviewed, "reviewer");
      if (reviewFailure) return end(reviewFailure, iteration);
      const review = submitReviewInput.parse(reviewed.result);
      await step.run(`publish-review-iter-${iteration}`, async () =>
        publishTaskReview({ context: await loadWorkContext({ runId, taskId }), iteration, review, sessionId: reviewerId }),
      );
      await step.run(`status-comment-iter-${iteration}`, async () =>
        updateTaskStatusComment({ context: await loadWorkContext({ runId, taskId }), iteration, testResult, verdict: review.verdict, note: ciNote || undefined }),
      );

      if (testResult !== "failed" && review.verdict === "approve") {
        await step.run("mark-ready", async () => markTaskReady({ context: await loadWorkContext({ runId, taskId }) }));
        return end({ status: "succeeded" }, iteration);
      }
      if (iteration === maxIterations) {
        return end({ status: "failed", reason: `Not green and approved after ${maxIterations} iteration(s): tests ${testResult}, review ${review.verdict}.` }, iteration);
      }

      const fixerId = await step.run(`start-fixer-iter-${iteration}`, async () => {
        const context = await loadWorkContext({ runId, taskId });
        const comments = review.comments.map((c) => `${c.path}:${c.line}: ${c.body}`).join("\n");
        return startRoleSession({
          context, role: "fixer", iteration, branch, task: describeTask(context.task!),
          feedback: [
            { source: "test-output", text: `${testResult}\n${ciNote}\n${checks.outputTail}` },
            { source: "review", text: `${review.verdict}: ${review.summary}\n${comments}` },
          ],
        });
      });
      const fixed = await runSessionSteps(step, { sessionId: fixerId, stepPrefix: `fix-iter-${iteration}` });
      const fixerFailure = sessionFailure(fixed, "fixer");
      if (fixerFailure) return end(fixerFailure, iteration);
    }
    return end({ status: "failed", reason: "The iteration limit is 0." }, 0);
  },
);
