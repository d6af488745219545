// Return on investment over a date range, from SQL aggregates over the ledger (LlmCall, sessions,
// tasks, pull requests). The database does the sums; callers only format the rows.
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AgentRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const maxRangeDays = 366;
const dayMs = 24 * 3600 * 1000;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date, YYYY-MM-DD" });

/** `from` and `to` are whole UTC days, both included; the default is the last 30 days. */
export const insightsQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

export type InsightsRange = { from: string; to: string; bucket: "day" | "week" };

export type InsightsDto = {
  range: InsightsRange;
  totals: {
    spendUsd: number;
    runs: number;
    mergedPullRequests: number;
    resolvedTasks: number;
    /** Spend in the range / PRs merged in the range; null without a merged PR. */
    costPerMergedPrUsd: number | null;
    /** Spend in the range / tasks that succeeded in the range; null without one. */
    costPerResolvedTaskUsd: number | null;
    /** Share of input tokens read from the provider's prompt cache, 0..1; null without calls. */
    cacheReadShare: number | null;
  };
  /** One row per day (or week, for ranges over 62 days), empty buckets included. */
  overTime: { bucket: string; spendUsd: number; mergedPullRequests: number; costPerMergedPrUsd: number | null }[];
  spendByRole: { role: AgentRole | "unattributed"; spendUsd: number; cacheReadShare: number | null }[];
  spendByModel: { model: string; spendUsd: number; cacheReadShare: number | null }[];
  /** Per role and model: finished tasks it worked on, how many succeeded, their mean iterations. */
  outcomesByRoleAndModel: { role: AgentRole; model: string; tasks: number; succeeded: number; successRate: number; meanIterations: number }[];
};

export function resolveInsightsRange(query: z.infer<typeof insightsQuery>, now = new Date()): InsightsRange & { start: Date; end: Date } {
  const today = now.toISOString().slice(0, 10);
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * dayMs).toISOString().slice(0, 10);
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + dayMs);
  const fail = (field: "from" | "to", message: string) => new AppError("bad_request", `${field} ${message}`, { details: { fields: [{ field, message }] } });
  // Date rolls "02-31" over into March; a real date reads back the same.
  const isRealDate = (date: Date, text: string) => !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
  if (!isRealDate(start, from)) throw fail("from", "must be a real date (YYYY-MM-DD)");
  if (!isRealDate(new Date(`${to}T00:00:00Z`), to)) throw fail("to", "must be a real date (YYYY-MM-DD)");
  const days = (end.getTime() - start.getTime()) / dayMs;
  if (days < 1) throw fail("from", "must be on or before to");
  if (days > maxRangeDays) throw fail("from", `must be at most ${maxRangeDays} days before to`);
  return { from, to, bucket: days > 62 ? "week" : "day", start, end };
}

export async function getInsights(query: z.infer<typeof insightsQuery>, now = new Date()): Promise<InsightsDto> {
  const { start, end, ...range } = resolveInsightsRange(query, now);
  const inRange = (column: Prisma.Sql) => Prisma.sql`${column} >= ${start} AND ${column} < ${end}`;
  const unit = range.bucket;

  const [totals, overTime, byRole, byModel, outcomes] = await Promise.all([
    db.$queryRaw<{ spend: Prisma.Decimal | null; input: bigint | null; cache_read: bigint | null; runs: bigint; merged: bigint; resolved: bigint }[]>`
      SELECT
        (SELECT sum("costUsd") FROM "LlmCall" WHERE ${inRange(Prisma.sql`"createdAt"`)}) AS spend,
        (SELECT sum("inputTokens") FROM "LlmCall" WHERE ${inRange(Prisma.sql`"createdAt"`)}) AS input,
        (SELECT sum("cacheReadTokens") FROM "LlmCall" WHERE ${inRange(Prisma.sql`"createdAt"`)}) AS cache_read,
        (SELECT count(*) FROM "Run" WHERE ${inRange(Prisma.sql`"createdAt"`)}) AS runs,
        (SELECT count(*) FROM "PullRequest" WHERE state = 'merged' AND ${inRange(Prisma.sql`"mergedAt"`)}) AS merged,
        (SELECT count(*) FROM "Task" WHERE status = 'succeeded' AND ${inRange(Prisma.sql`"finishedAt"`)}) AS resolved`,
    db.$queryRaw<{ bucket: Date; spend: Prisma.Decimal; merged: bigint }[]>`
      WITH buckets AS (
        SELECT generate_series(date_trunc(${unit}, ${start}::timestamp), date_trunc(${unit}, ${end}::timestamp - interval '1 millisecond'), ('1 ' || ${unit})::interval) AS bucket
      ), spend AS (
        SELECT date_trunc(${unit}, "createdAt") AS bucket, sum("costUsd") AS spend FROM "LlmCall" WHERE ${inRange(Prisma.sql`"createdAt"`)} GROUP BY 1
      ), merged AS (
        SELECT date_trunc(${unit}, "mergedAt") AS bucket, count(*) AS merged FROM "PullRequest" WHERE state = 'merged' AND ${inRange(Prisma.sql`"mergedAt"`)} GROUP BY 1
      )
      SELECT buckets.bucket, coalesce(spend.spend, 0) AS spend, coalesce(merged.merged, 0) AS merged
      FROM buckets LEFT JOIN spend USING (bucket) LEFT JOIN merged USING (bucket)
      ORDER BY buckets.bucket`,
    db.$queryRaw<{ role: AgentRole | null; spend: Prisma.Decimal; input: bigint; cache_read: bigint }[]>`
      SELECT s.role, sum(c."costUsd") AS spend, sum(c."inputTokens") AS input, sum(c."cacheReadTokens") AS cache_read
      FROM "LlmCall" c LEFT JOIN "AgentSession" s ON s.id = c."sessionId"
      WHERE ${inRange(Prisma.sql`c."createdAt"`)}
      GROUP BY s.role ORDER BY spend DESC`,
    db.$queryRaw<{ model: string; spend: Prisma.Decimal; input: bigint; cache_read: bigint }[]>`
      SELECT c.provider || ':' || c.model AS model, sum(c."costUsd") AS spend, sum(c."inputTokens") AS input, sum(c."cacheReadTokens") AS cache_read
      FROM "LlmCall" c
      WHERE ${inRange(Prisma.sql`c."createdAt"`)}
      GROUP BY 1 ORDER BY spend DESC`,
    db.$queryRaw<{ role: AgentRole; model: string; tasks: bigint; succeeded: bigint; mean_iterations: Prisma.Decimal }[]>`
      WITH worked AS (
        SELECT DISTINCT s.role, s.model, t.id, t.status, t.iteration
        FROM "AgentSession" s JOIN "Task" t ON t.id = s."taskId"
        WHERE s."followUpId" IS NULL AND t.status IN ('succeeded', 'failed', 'budget_exhausted') AND ${inRange(Prisma.sql`t."finishedAt"`)}
      )
      SELECT role, model, count(*) AS tasks, count(*) FILTER (WHERE status = 'succeeded') AS succeeded, avg(iteration) AS mean_iterations
      FROM worked GROUP BY role, model ORDER BY role, model`,
  ]);

  const total = totals[0];
  const spendUsd = Number(total.spend ?? 0);
  const merged = Number(total.merged);
  const resolved = Number(total.resolved);
  return {
    range,
    totals: {
      spendUsd,
      runs: Number(total.runs),
      mergedPullRequests: merged,
      resolvedTasks: resolved,
      costPerMergedPrUsd: merged > 0 ? spendUsd / merged : null,
      costPerResolvedTaskUsd: resolved > 0 ? spendUsd / resolved : null,
      cacheReadShare: share(total.cache_read, total.input),
    },
    overTime: overTime.map((row) => {
      const spend = Number(row.spend);
      const mergedInBucket = Number(row.merged);
      return { bucket: row.bucket.toISOString().slice(0, 10), spendUsd: spend, mergedPullRequests: mergedInBucket, costPerMergedPrUsd: mergedInBucket > 0 ? spend / mergedInBucket : null };
    }),
    spendByRole: byRole.map((row) => ({ role: row.role ?? "unattributed", spendUsd: Number(row.spend), cacheReadShare: share(row.cache_read, row.input) })),
    spendByModel: byModel.map((row) => ({ model: row.model, spendUsd: Number(row.spend), cacheReadShare: share(row.cache_read, row.input) })),
    outcomesByRoleAndModel: outcomes.map((row) => {
      const tasks = Number(row.tasks);
      const succeeded = Number(row.succeeded);
      return { role: row.role, model: row.model, tasks, succeeded, successRate: tasks > 0 ? succeeded / tasks : 0, meanIterations: Number(row.mean_iterations) };
    }),
  };
}

function share(part: bigint | null, whole: bigint | null): number | null {
  const denominator = Number(whole ?? 0);
  return denominator > 0 ? Number(part ?? 0) / denominator : null;
}
