// Answers a trusted human's review or comment on a factory PR: a fixer session with the
// feedback, a push to the PR's branch, the repository's tests on the result, and one reply
// saying what changed, whether the tests pass, and what it cost.
import { loadHumanFeedback } from "../../lib/tasks/load-human-feedback";
import { answerHumanFeedback } from "../../lib/tasks/answer-human-feedback";
import { loadWorkContext } from "../../lib/tasks/load-work-context";
import { runTaskChecks } from "../../lib/tasks/run-task-checks";
import { updateTaskStatusComment } from "../../lib/tasks/update-task-status-comment";
import { describeTask, startRoleSession } from "../../lib/tasks/start-role-session";
import { inngest } from "../client";
import { githubIssueCommentCreated, githubReviewSubmitted } from "../events";
import { runSessionSteps } from "../run-session-steps";

export const addressReview = inngest.createFunction(
  {
    id: "address-review",
    retries: 3,
    triggers: [githubReviewSubmitted, githubIssueCommentCreated],
    // One fixer per PR at a time: two answers must not race on the same branch.
    concurrency: { key: "event.data.repository + '#' + string(event.data.pullRequestNumber)", limit: 1 },
  },
  async ({ event, step }) => {
    const data = event.data;
    if (!data.isTrusted) return { skipped: "author has no write access" };
    if ("state" in data && !["changes_requested", "commented"].includes(data.state.toLowerCase())) return { skipped: `review state ${data.state}` };

    const feedback = await step.run("load-feedback", () =>
      loadHumanFeedback({
        repository: data.repository,
        pullRequestNumber: data.pullRequestNumber,
        author: data.author,
        source: "reviewId" in data ? { kind: "review", reviewId: data.reviewId } : { kind: "comment", commentId: data.commentId },
      }),
    );
    if (!feedback) return { skipped: "nothing to address (not an open factory PR, already handled, or empty)" };

    const fixerId = await step.run("start-fixer", async () => {
      const context = await loadWorkContext({ runId: feedback.runId, taskId: feedback.taskId });
      return startRoleSession({
        context, role: "fixer", branch: context.task!.branch, task: describeTask(context.task!),
        feedback: [{ source: `review by ${feedback.author}`, text: feedback.text }],
      });
    });
    const outcome = await runSessionSteps(step, { sessionId: fixerId, stepPrefix: "fix" });
    // The change goes through the same deterministic check as the loop's, and the PR says so.
    const checks =
      outcome.stopReason === "finished"
        ? await step.run("test-after-fix", async () => {
            const context = await loadWorkContext({ runId: feedback.runId, taskId: feedback.taskId });
            const result = await runTaskChecks({ context, iteration: context.task!.iteration });
            await updateTaskStatusComment({ context, iteration: context.task!.iteration, testResult: result.testResult, verdict: "pending", note: `Changed for review by @${feedback.author}; awaiting re-review.` });
            return result;
          })
        : null;
    return step.run("reply", async () =>
      answerHumanFeedback({ context: await loadWorkContext({ runId: feedback.runId, taskId: feedback.taskId }), feedback, outcome, testResult: checks?.testResult }),
    );
  },
);
