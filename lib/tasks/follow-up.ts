// A trusted human's review or comment on a factory PR, answered at any time (during or after
// its run) with its own budget: Repository.followUpBudgetUsd per piece of feedback. Its model
// calls reserve against the FollowUp (lib/llm/budget-guard.ts), never against the run's budget,
// and what it spends is added to Run.followUpSpentUsd.
import { db } from "../db";
import { cleanupTaskWorkspaces } from "./cleanup-task-workspaces";
import type { FollowUpStatus } from "../generated/prisma/enums";
import { releaseFollowUpReservations } from "../llm/budget-guard";
import { recordRunEvent } from "../runs/record-run-event";
import { acquireBranchLease, branchLeaseKey } from "./branch-lease";
import type { HumanFeedback } from "./load-human-feedback";

export type FinalFollowUpStatus = Extract<FollowUpStatus, "succeeded" | "failed" | "budget_exhausted">;

const openStatuses: FollowUpStatus[] = ["queued", "running"];

/** Who holds a task branch's lease while a follow-up writes to it. */
export const followUpLeaseHolder = (followUpId: string) => `follow-up:${followUpId}`;

/** The branch lease a follow-up takes: its task's branch. */
export async function readFollowUpLease(followUpId: string): Promise<{ key: string; holder: string }> {
  const followUp = await db.followUp.findUniqueOrThrow({
    where: { id: followUpId },
    select: { pullRequest: { select: { headBranch: true, repository: { select: { owner: true, name: true } } } } },
  });
  return { key: branchLeaseKey(followUp.pullRequest.repository, followUp.pullRequest.headBranch), holder: followUpLeaseHolder(followUpId) };
}

/** Renews the follow-up's lease at a step boundary; false when another writer holds the branch now. */
export async function renewFollowUpLease(options: { followUpId: string; ttlMs: number }): Promise<boolean> {
  const lease = await readFollowUpLease(options.followUpId);
  return acquireBranchLease({ ...lease, ttlMs: options.ttlMs });
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
