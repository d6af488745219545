// Seeds a finished run with tasks and PRs through the real database, for run report tests.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { PullRequestState, RunStatus, TaskStatus } from "@/lib/generated/prisma/enums";

export type SeedTask = { key: string; title?: string; status: TaskStatus; costUsd?: number; pr?: { number: number; state: PullRequestState } };

export async function seedFinishedRun(options: {
  title?: string;
  status: RunStatus;
  budgetUsd?: number;
  spentUsd?: number;
  error?: string;
  durationMs?: number;
  tasks?: SeedTask[];
}) {
  // A repository per run keeps PR numbers (unique per repository) free for every test.
  const repository = await db.repository.create({ data: { owner: "acme", name: `widgets-${randomBytes(3).toString("hex")}` } });
  const finishedAt = new Date("2026-11-28T12:00:00Z");
  const run = await db.run.create({
    data: {
      repositoryId: repository.id,
      title: options.title ?? "Add a /health endpoint",
      spec: "spec",
      status: options.status,
      budgetUsd: options.budgetUsd ?? 5,
      spentUsd: options.spentUsd ?? 0,
      error: options.error,
      inputTokens: 120_000,
      cacheReadTokens: 80_000,
      outputTokens: 9_000,
      startedAt: new Date(finishedAt.getTime() - (options.durationMs ?? 0)),
      finishedAt,
    },
  });
  for (const [index, task] of (options.tasks ?? []).entries()) {
    const created = await db.task.create({
      data: {
        runId: run.id,
        key: task.key,
        title: task.title ?? `Task ${task.key}`,
        description: "d",
        status: task.status,
        costUsd: task.costUsd ?? 0,
        createdAt: new Date(finishedAt.getTime() - 60_000 + index),
      },
    });
    if (task.pr) {
      await db.pullRequest.create({
        data: {
          repositoryId: repository.id,
          runId: run.id,
          taskId: created.id,
          number: task.pr.number,
          url: `https://github.com/acme/${repository.name}/pull/${task.pr.number}`,
          headBranch: `factory/${run.id}-${task.key}`,
          baseBranch: "main",
          state: task.pr.state,
        },
      });
    }
  }
  return { run, repository };
}
