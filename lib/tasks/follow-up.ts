// Follow-ups: a human's review answered with its own budget, and the sessions that do the work.
import { createAgentSession } from "@/lib/agents/agent-session";
import type { SubmitReviewResult } from "@/lib/agents/roles";
import { db } from "@/lib/db";
import type { FollowUpStatus } from "@/lib/generated/prisma/enums";
import { followUpLeaseHolder } from "@/lib/git/branches";
import { postReview } from "@/lib/github/reviews";
import { releaseFollowUpReservations } from "@/lib/llm/budget-guard";
import { resolveModelForRole } from "@/lib/llm/language-model";
import type { AgentRoleName } from "@/lib/llm/model-ref";
import { recordRunEvent } from "@/lib/runs/run-events";
import type { HumanFeedback } from "./human-feedback";
import { readTaskDiff, runTaskChecks, type CheckResult } from "./iteration";
import { loadTaskContextOrThrow, type TaskContext, describeTask } from "./role-sessions";
import { cleanupTaskWorkspaces, branchLeaseKey } from "./task-branch";
import { updateTaskStatusComment } from "./task-status";

// A trusted human's review or comment on a factory PR, answered at any time (during or after
// its run) with its own budget: Repository.followUpBudgetUsd per piece of feedback. Its model
// calls reserve against the FollowUp (lib/llm/budget-guard.ts), never against the run's budget,
// and what it spends is added to Run.followUpSpentUsd.
export type FinalFollowUpStatus = Extract<FollowUpStatus, "succeeded" | "failed" | "budget_exhausted">;

const openStatuses: FollowUpStatus[] = ["queued", "running"];

/** Who holds a task branch's lease while a follow-up writes to it. */

/** The branch lease a follow-up takes: its task's branch. */
export async function readFollowUpLease(followUpId: string): Promise<{ key: string; holder: string }> {
  const followUp = await db.followUp.findUniqueOrThrow({
    where: { id: followUpId },
    select: { pullRequest: { select: { headBranch: true, repository: { select: { owner: true, name: true } } } } },
  });
  return { key: branchLeaseKey(followUp.pullRequest.repository, followUp.pullRequest.headBranch), holder: followUpLeaseHolder(followUpId) };
}


/**
 * The follow-up of this feedback, created once (idempotent on its sourceKey, so a redelivered
 * webhook or a retried step finds the same row) with the repository's follow-up budget.
 */
export async function recordFollowUp(feedback: HumanFeedback): Promise<{ id: string; status: FollowUpStatus; isCreated: boolean }> {
  const pullRequest = await db.pullRequest.findUniqueOrThrow({
    where: { id: feedback.pullRequestId },
    select: { repository: { select: { followUpBudgetUsd: true } }, task: { select: { key: true } } },
  });
  return db.$transaction(async (tx) => {
    const { count } = await tx.followUp.createMany({
      data: [{
        runId: feedback.runId, taskId: feedback.taskId, pullRequestId: feedback.pullRequestId, sourceKey: feedback.key,
        author: feedback.author, budgetUsd: pullRequest.repository.followUpBudgetUsd,
      }],
      skipDuplicates: true,
    });
    const followUp = await tx.followUp.findUniqueOrThrow({ where: { sourceKey: feedback.key }, select: { id: true, status: true, budgetUsd: true } });
    if (count === 1) {
      await recordRunEvent({
        runId: feedback.runId,
        type: "follow-up.queued",
        payload: { followUpId: followUp.id, sourceKey: feedback.key, author: feedback.author, taskKey: pullRequest.task?.key ?? null, budgetUsd: followUp.budgetUsd.toFixed(2) },
      }, tx);
    }
    return { id: followUp.id, status: followUp.status, isCreated: count === 1 };
  });
}

/**
 * True while an older follow-up of the same PR has not finished: feedback is answered in the
 * order it was given, even when the branch lease is free for a moment between two writers.
 */
export async function isFollowUpQueuedBehind(followUpId: string): Promise<boolean> {
  const followUp = await db.followUp.findUniqueOrThrow({ where: { id: followUpId }, select: { pullRequestId: true, createdAt: true } });
  const earlier = await db.followUp.count({
    where: {
      pullRequestId: followUp.pullRequestId,
      status: { in: openStatuses },
      id: { not: followUpId },
      OR: [{ createdAt: { lt: followUp.createdAt } }, { createdAt: followUp.createdAt, id: { lt: followUpId } }],
    },
  });
  return earlier > 0;
}

/** queued -> running: from now on its sessions may reserve against its budget. */
export async function startFollowUp(followUpId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const followUp = await tx.followUp.findUniqueOrThrow({ where: { id: followUpId }, select: { runId: true, status: true } });
    if (followUp.status !== "queued") return;
    await tx.followUp.update({ where: { id: followUpId }, data: { status: "running", startedAt: new Date() } });
    await recordRunEvent({ runId: followUp.runId, type: "follow-up.started", payload: { followUpId } }, tx);
  });
}

export type FinishFollowUpInput = {
  followUpId: string;
  status: FinalFollowUpStatus;
  /** Readable, for the run page; required unless succeeded. */
  reason?: string;
  testOutcome?: "passed" | "failed" | "not_run" | null;
  reviewVerdict?: "approve" | "request_changes" | "comment" | null;
  replyUrl?: string | null;
};

/**
 * Ends a follow-up once, with its outcome: reservations still held are given back, sessions
 * still open are stopped, and a RunEvent says what it cost. A follow-up that already ended
 * keeps its status. Returns whether this call ended it.
 */
export async function finishFollowUp(input: FinishFollowUpInput): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.followUp.updateMany({
      where: { id: input.followUpId, status: { in: openStatuses } },
      data: {
        status: input.status,
        error: input.status === "succeeded" ? null : (input.reason ?? `The follow-up ended ${input.status}.`),
        testOutcome: input.testOutcome ?? undefined,
        reviewVerdict: input.reviewVerdict ?? undefined,
        replyUrl: input.replyUrl ?? undefined,
        finishedAt: new Date(),
      },
    });
    if (count === 0) return false;
    await releaseFollowUpReservations(tx, input.followUpId);
    await tx.agentSession.updateMany({
      where: { followUpId: input.followUpId, status: "running" },
      data: { status: "stopped", stopReason: "error", error: input.reason ?? `The follow-up ended ${input.status}.`, finishedAt: new Date() },
    });
    const followUp = await tx.followUp.findUniqueOrThrow({ where: { id: input.followUpId }, select: { runId: true, sourceKey: true, author: true, spentUsd: true, budgetUsd: true } });
    await recordRunEvent({
      runId: followUp.runId,
      type: `follow-up.${input.status}`,
      payload: {
        followUpId: input.followUpId, sourceKey: followUp.sourceKey, author: followUp.author,
        spentUsd: followUp.spentUsd.toFixed(6), budgetUsd: followUp.budgetUsd.toFixed(2),
        reason: input.reason ?? null, testOutcome: input.testOutcome ?? null, reviewVerdict: input.reviewVerdict ?? null, replyUrl: input.replyUrl ?? null,
      },
    }, tx);
    return true;
  });
}

/**
 * For a workflow that failed: the follow-up of this feedback (if it got that far) ends failed
 * with the reason. Returns its branch lease, for the caller to release.
 */
export async function failFollowUp(options: { sourceKey: string; reason: string }): Promise<{ key: string; holder: string } | null> {
  const followUp = await db.followUp.findUnique({ where: { sourceKey: options.sourceKey }, select: { id: true } });
  if (!followUp) return null;
  await finishFollowUp({ followUpId: followUp.id, status: "failed", reason: options.reason });
  return readFollowUpLease(followUp.id);
}

/** Removes the clones of the follow-up's task once it is answered (mirrors and busy tasks stay). */
export async function cleanupFollowUpWorkspaces(followUpId: string): Promise<{ removed: string[] }> {
  const { taskId } = await db.followUp.findUniqueOrThrow({ where: { id: followUpId }, select: { taskId: true } });
  return cleanupTaskWorkspaces({ taskId });
}

// The agent work of a follow-up: a fixer fed the human's feedback, then a reviewer's re-review
// of the whole change, posted on the PR like the loop's reviews. Both sessions carry the
// follow-up's id, so every model call spends the follow-up's budget, never the run's.
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
