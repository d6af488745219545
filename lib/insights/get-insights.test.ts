import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getInsights, resolveInsightsRange } from "./get-insights";

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour));

async function seed() {
  const repository = await db.repository.create({ data: { owner: "acme", name: `insights-${Date.now()}` } });
  const run = await db.run.create({ data: { repositoryId: repository.id, title: "r", spec: "s", budgetUsd: 10, status: "succeeded", createdAt: at(2) } });
  const good = await db.task.create({ data: { runId: run.id, key: "good", title: "g", description: "d", acceptanceCriteria: [], dependsOn: [], status: "succeeded", iteration: 1, finishedAt: at(3) } });
  const bad = await db.task.create({ data: { runId: run.id, key: "bad", title: "b", description: "d", acceptanceCriteria: [], dependsOn: [], status: "failed", iteration: 3, finishedAt: at(3) } });
  const session = (taskId: string | null, role: "planner" | "coder" | "reviewer", model: string) =>
    db.agentSession.create({ data: { runId: run.id, taskId, role, model, status: "finished", startedAt: at(2) } });
  const planner = await session(null, "planner", "openai-compatible:glm-5.2");
  const coderGood = await session(good.id, "coder", "anthropic:claude-haiku-4-5");
  const coderBad = await session(bad.id, "coder", "anthropic:claude-haiku-4-5");
  const reviewer = await session(good.id, "reviewer", "openai-compatible:glm-5.2");
  const call = (sessionId: string, provider: string, model: string, costUsd: number, day: number, input = 1000, cacheRead = 0) =>
    db.llmCall.create({ data: { runId: run.id, sessionId, provider, model, costUsd, inputTokens: input, cacheReadTokens: cacheRead, createdAt: at(day) } });
  await call(planner.id, "openai-compatible", "glm-5.2", 0.5, 2, 1000, 500);
  await call(coderGood.id, "anthropic", "claude-haiku-4-5", 1, 2, 2000, 1500);
  await call(coderBad.id, "anthropic", "claude-haiku-4-5", 2, 3, 1000, 0);
  await call(reviewer.id, "openai-compatible", "glm-5.2", 0.5, 3);
  await call(reviewer.id, "openai-compatible", "glm-5.2", 100, 20); // outside the range
  await db.pullRequest.create({ data: { repositoryId: repository.id, runId: run.id, taskId: good.id, number: 1, url: "u", headBranch: "factory/x-good", baseBranch: "main", state: "merged", mergedAt: at(3) } });
}

describe("getInsights", () => {
  it("aggregates spend, outcomes and cache reads in SQL over the range", async () => {
    await seed();
    const insights = await getInsights({ from: "2026-03-01", to: "2026-03-05" });
    expect(insights.range).toEqual({ from: "2026-03-01", to: "2026-03-05", bucket: "day" });
    expect(insights.totals).toMatchObject({ spendUsd: 4, runs: 1, mergedPullRequests: 1, resolvedTasks: 1, costPerMergedPrUsd: 4, costPerResolvedTaskUsd: 4 });
    expect(insights.totals.cacheReadShare).toBeCloseTo(2000 / 5000);

    expect(insights.overTime.map((row) => [row.bucket, row.spendUsd, row.mergedPullRequests, row.costPerMergedPrUsd])).toEqual([
      ["2026-03-01", 0, 0, null],
      ["2026-03-02", 1.5, 0, null],
      ["2026-03-03", 2.5, 1, 2.5],
      ["2026-03-04", 0, 0, null],
      ["2026-03-05", 0, 0, null],
    ]);
    expect(insights.spendByRole).toEqual([
      { role: "coder", spendUsd: 3, cacheReadShare: 0.5 },
      { role: "planner", spendUsd: 0.5, cacheReadShare: 0.5 },
      { role: "reviewer", spendUsd: 0.5, cacheReadShare: 0 },
    ]);
    expect(insights.spendByModel.map((row) => [row.model, row.spendUsd])).toEqual([
      ["anthropic:claude-haiku-4-5", 3],
      ["openai-compatible:glm-5.2", 1],
    ]);
    expect(insights.outcomesByRoleAndModel).toEqual([
      { role: "coder", model: "anthropic:claude-haiku-4-5", tasks: 2, succeeded: 1, successRate: 0.5, meanIterations: 2 },
      { role: "reviewer", model: "openai-compatible:glm-5.2", tasks: 1, succeeded: 1, successRate: 1, meanIterations: 1 },
    ]);
  });

  it("buckets long ranges by week and refuses bad ranges naming the field", async () => {
    expect(resolveInsightsRange({ from: "2026-01-01", to: "2026-06-30" }).bucket).toBe("week");
    expect(resolveInsightsRange({}, new Date("2026-03-31T10:00:00Z"))).toMatchObject({ from: "2026-03-02", to: "2026-03-31" });
    const reversed = (() => { try { resolveInsightsRange({ from: "2026-03-05", to: "2026-03-01" }); } catch (error) { return error; } })();
    expect(reversed).toBeInstanceOf(AppError);
    expect((reversed as AppError).details).toEqual({ fields: [{ field: "from", message: "must be on or before to" }] });
    expect(() => resolveInsightsRange({ from: "2024-01-01", to: "2026-01-01" })).toThrow(/at most 366 days/);
    expect(() => resolveInsightsRange({ from: "2026-02-31", to: "2026-03-01" })).toThrow(/real date/);
  });
});
