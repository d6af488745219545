// The tests of a base commit, run once per (repository, base sha, commands) and reused by
// every task and iteration on that base: failures there are not a task's fault.
import { createHash } from "node:crypto";
import { db } from "../db";
import type { BaselineSummary } from "./compare-test-runs";
import type { TestRun } from "./run-tests";
import type { FailingTest } from "./test-results";

export function buildCommandKey(commands: { setupCommand: string | null; testCommand: string | null }): string {
  return createHash("sha256").update(`${commands.setupCommand ?? ""}\u0000${commands.testCommand ?? ""}`).digest("hex").slice(0, 32);
}

export async function findTestBaseline(key: { repositoryId: string; baseSha: string; commandKey: string }): Promise<BaselineSummary | null> {
  const row = await db.testBaseline.findUnique({
    where: { repositoryId_baseSha_commandKey: key },
    select: { outcome: true, failed: true, failingTests: true },
  });
  return row ? { outcome: row.outcome, failed: row.failed, failingTests: row.failingTests as FailingTest[] } : null;
}

/** Stores a base run; a concurrent task that stored the same base first wins, harmlessly. */
export async function saveTestBaseline(key: { repositoryId: string; baseSha: string; commandKey: string }, run: TestRun): Promise<BaselineSummary> {
  await db.testBaseline.createMany({
    data: [{
      ...key,
      outcome: run.outcome,
      passed: run.passed,
      failed: run.failed,
      failingTests: run.failing,
      outputTail: run.outputTail.slice(-4_000),
    }],
    skipDuplicates: true,
  });
  return (await findTestBaseline(key))!;
}

/** The cached baseline, or runs `runOnBase` once and caches it. */
export async function readOrRunTestBaseline(options: {
  repositoryId: string;
  baseSha: string;
  commands: { setupCommand: string | null; testCommand: string | null };
  runOnBase: () => Promise<TestRun>;
}): Promise<BaselineSummary> {
  const key = { repositoryId: options.repositoryId, baseSha: options.baseSha, commandKey: buildCommandKey(options.commands) };
  return (await findTestBaseline(key)) ?? saveTestBaseline(key, await options.runOnBase());
}
