// The agent work of a follow-up: a fixer fed the human's feedback, then a reviewer's re-review
// of the whole change, posted on the PR like the loop's reviews. Both sessions carry the
// follow-up's id, so every model call spends the follow-up's budget, never the run's.
import { createAgentSession } from "../agents/create-agent-session";
import type { SubmitReviewResult } from "../agents/terminal-tools";
import { db } from "../db";
import { postReview } from "../github/post-review";
import type { AgentRoleName } from "../llm/resolve-model";
import { resolveModelForRole } from "../llm/resolve-model";
import { recordRunEvent } from "../runs/record-run-event";
import { loadTaskContextOrThrow, type TaskContext } from "./load-work-context";
import { readTaskDiff } from "./read-task-diff";
import { runTaskChecks, type CheckResult } from "./run-task-checks";
import { describeTask } from "./start-role-session";
import { updateTaskStatusComment } from "./update-task-status-comment";

async function loadFollowUpContext(followUpId: string) {
  const followUp = await db.followUp.findUniqueOrThrow({ where: { id: followUpId }, select: { id: true, runId: true, taskId: true, author: true, sourceKey: true } });
  const context = await loadTaskContextOrThrow({ runId: followUp.runId, taskId: followUp.taskId });
  return { followUp, context };
}

async function startSession(options: { context: TaskContext; followUpId: string; role: AgentRoleName; branch: string | null; feedback: { source: string; text: string }[] }) {
  const { context } = options;
  const model = resolveModelForRole({ role: options.role, runModels: context.run.models });
  const session = await createAgentSession({
    runId: context.run.id,
    taskId: context.task.id,
    role: options.role,
    model: model.ref,
    task: describeTask(context.task),
    context: options.feedback,
    iteration: context.task.iteration,
    branch: options.branch,
    followUpId: options.followUpId,
  });
  return session.id;
}

/** The fixer, on the task's branch, with the human's feedback as untrusted data. */
export async function startFollowUpFixer(options: { followUpId: string; feedbackText: string }): Promise<string> {
  const { followUp, context } = await loadFollowUpContext(options.followUpId);
  const source = followUp.sourceKey.startsWith("review-") ? `review by @${followUp.author}` : `comment by @${followUp.author}`;
  return startSession({ context, followUpId: followUp.id, role: "fixer", branch: context.task.branch, feedback: [{ source, text: options.feedbackText }] });
}

/** The reviewer, on the PR's whole change after the fix, with the human's feedback and the test result. */
export async function startFollowUpReviewer(options: { followUpId: string; feedbackText: string; testResult: string; testOutputTail: string }): Promise<string> {
  const { followUp, context } = await loadFollowUpContext(options.followUpId);
  const diff = await readTaskDiff({ context });
  return startSession({
    context, followUpId: followUp.id, role: "reviewer", branch: null,
    feedback: [
      { source: "diff", text: diff || "(no changes)" },
      { source: "test-output", text: `${options.testResult}\n${options.testOutputTail}` },
      { source: `feedback by @${followUp.author} that the change had to address`, text: options.feedbackText },
    ],
  });
}

/** Posts the re-review on the PR (once per follow-up, whatever the retries) and records it. */
export async function publishFollowUpReview(options: { followUpId: string; review: SubmitReviewResult; sessionId: string }) {
  const { followUp, context } = await loadFollowUpContext(options.followUpId);
  const pullRequest = await db.pullRequest.findUniqueOrThrow({ where: { taskId: context.task.id }, select: { id: true, number: true } });
  const posted = await postReview({
    owner: context.repository.owner,
    repo: context.repository.name,
    number: pullRequest.number,
    key: `follow-up-${followUp.id}`,
    verdict: options.review.verdict,
    summary: options.review.summary,
    comments: options.review.comments,
  });
  await db.$transaction(async (tx) => {
    await tx.review.upsert({
      where: { githubReviewId: BigInt(posted.id) },
      create: {
        pullRequestId: pullRequest.id, source: "factory", githubReviewId: BigInt(posted.id), verdict: options.review.verdict,
        body: options.review.summary, comments: options.review.comments, sessionId: options.sessionId,
      },
      update: {},
    });
    if (posted.isCreated) {
      await recordRunEvent({
        runId: context.run.id,
        type: "review.posted",
        payload: { taskKey: context.task.key, followUpId: followUp.id, verdict: options.review.verdict, url: posted.url, comments: options.review.comments.length },
      }, tx);
    }
  });
  return { verdict: options.review.verdict, url: posted.url };
}

/** The repository's tests on the branch after the fix: the same deterministic check as the loop's. */
export async function testFollowUpChange(options: { followUpId: string }): Promise<CheckResult> {
  const { context } = await loadFollowUpContext(options.followUpId);
  return runTaskChecks({ context, iteration: context.task.iteration });
}

/** The PR's sticky status comment, after the re-review. */
export async function noteFollowUpOnStatusComment(options: { followUpId: string; testResult: CheckResult["testResult"]; verdict: SubmitReviewResult["verdict"] }) {
  const { followUp, context } = await loadFollowUpContext(options.followUpId);
  await updateTaskStatusComment({
    context, iteration: context.task.iteration, testResult: options.testResult, verdict: options.verdict,
    note: `Changed for feedback by @${followUp.author}, tested and re-reviewed.`,
  });
}
