// The convergence record: one TaskIteration row per task and iteration, filled in as the
// iteration goes (tests, fail-to-pass, CI, review) and re-costed from its sessions each time.
import { db } from "../db";
import type { FailToPass, ReviewVerdict, TestOutcome } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import type { TaskChecks } from "./run-task-checks";

export type IterationUpdate = {
  tests?: Pick<TaskChecks, "testResult" | "headSha" | "passed" | "failed" | "newFailures" | "preexisting">;
  failToPass?: FailToPass;
  ciConclusion?: string | null;
  review?: { verdict: ReviewVerdict; findings: number };
};

export async function recordTaskIteration(options: { runId: string; taskId: string; iteration: number; update: IterationUpdate }) {
  const { runId, taskId, iteration, update } = options;
  const data: Prisma.TaskIterationUncheckedUpdateInput = { costByRole: await readCostByRole({ taskId, iteration }) };
  if (update.tests) {
    const failingTests = [
      ...update.tests.newFailures.map((test) => ({ ...test, isNew: true })),
      ...update.tests.preexisting.map((test) => ({ ...test, isNew: false })),
    ];
    Object.assign(data, {
      headSha: update.tests.headSha,
      testOutcome: update.tests.testResult satisfies TestOutcome,
      testsPassed: update.tests.passed,
      testsFailed: update.tests.failed,
      failingTests,
      preexistingFailures: update.tests.preexisting.length,
    });
  }
  if (update.failToPass) data.failToPass = update.failToPass;
  if (update.ciConclusion !== undefined) data.ciConclusion = update.ciConclusion;
  if (update.review) Object.assign(data, { reviewVerdict: update.review.verdict, reviewFindings: update.review.findings });
  await db.taskIteration.upsert({
    where: { taskId_iteration: { taskId, iteration } },
    create: { ...(data as Prisma.TaskIterationUncheckedCreateInput), runId, taskId, iteration },
    update: data,
  });
}

/**
 * USD per role spent in this iteration: its reviewer and fixer, and for the first iteration
 * also the coder's first pass and the tester (sessions numbered 0 or 1).
 */
async function readCostByRole(options: { taskId: string; iteration: number }): Promise<Record<string, string>> {
  const iterations = options.iteration === 1 ? [0, 1] : [options.iteration];
  const rows = await db.agentSession.groupBy({
    by: ["role"],
    where: { taskId: options.taskId, iteration: { in: iterations }, followUpId: null },
    _sum: { costUsd: true },
  });
  return Object.fromEntries(rows.map((row) => [row.role, (row._sum.costUsd?.toFixed(6) ?? "0")]));
}
