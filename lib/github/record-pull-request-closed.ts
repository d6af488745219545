// Records that a factory PR closed. A merge stores the cost attributed to the PR (its
// task's cost, or the run's spend for a PR without a task): cost per merged PR is the
// number users judge the factory by. Idempotent: a replayed webhook changes nothing.
import { db } from "../db";
import { recordRunEvent } from "../runs/record-run-event";

export type RecordPullRequestClosedInput = {
  owner: string;
  repo: string;
  number: number;
  isMerged: boolean;
  closedAt?: Date;
  mergeCommitSha?: string | null;
};

export type RecordedClosure = { pullRequestId: string; runId: string; isChanged: boolean; costAtMergeUsd: string | null };

export async function recordPullRequestClosed(input: RecordPullRequestClosedInput): Promise<RecordedClosure | null> {
  const pull = await db.pullRequest.findFirst({
    where: {
      number: input.number,
      repository: { owner: { equals: input.owner, mode: "insensitive" }, name: { equals: input.repo, mode: "insensitive" } },
    },
    select: { id: true, runId: true, url: true, state: true, task: { select: { costUsd: true } }, run: { select: { spentUsd: true } } },
  });
  if (!pull) return null;
  const closedAt = input.closedAt ?? new Date();
  const cost = (pull.task?.costUsd ?? pull.run.spentUsd).toString();

  return db.$transaction(async (tx) => {
    // The state guard makes concurrent deliveries of the same close record it once.
    const { count } = await tx.pullRequest.updateMany({
      where: { id: pull.id, state: input.isMerged ? { not: "merged" } : { notIn: ["merged", "closed"] } },
      data: input.isMerged
        ? { state: "merged", mergedAt: closedAt, closedAt, costAtMergeUsd: cost }
        : { state: "closed", closedAt },
    });
    if (count === 0) return { pullRequestId: pull.id, runId: pull.runId, isChanged: false, costAtMergeUsd: input.isMerged ? cost : null };
    await recordRunEvent(
      {
        runId: pull.runId,
        type: input.isMerged ? "pull_request.merged" : "pull_request.closed",
        payload: { pullRequestId: pull.id, number: input.number, url: pull.url, ...(input.isMerged ? { costUsd: cost, mergeCommitSha: input.mergeCommitSha ?? null } : {}) },
      },
      tx,
    );
    return { pullRequestId: pull.id, runId: pull.runId, isChanged: true, costAtMergeUsd: input.isMerged ? cost : null };
  });
}
