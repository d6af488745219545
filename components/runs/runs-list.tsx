"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { RunSummaryDto } from "@/lib/client/runs";
import { formatUsd } from "@/lib/client/format";
import { useRuns, hasRunFilters, readRunFilters, toRunFilterParams, type RunFilters } from "@/lib/client/runs";
import { isActiveRunStatus } from "@/lib/runs/run-status";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, DataTable, LoadError, LoadingNotice, StatTiles } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RunFiltersBar } from "./run-filters-bar";
import { CostMeter } from "./run-cost";
import { RelativeTime, RunStatusBadge } from "./run-status";

const RUN_COLUMNS = [
  { label: "Status", className: "w-40" },
  { label: "Run", className: "w-full" },
  { label: "PRs", className: "w-44 whitespace-nowrap" },
  { label: "Cost", className: "w-60" },
  { label: "Age", className: "w-28 text-right" },
];

export function RunsList() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => readRunFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  const setFilters = useCallback(
    (next: RunFilters) => {
      const query = toRunFilterParams(next).toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  const clearFilters = () => setFilters({ status: null, repo: "", q: "" });
  const runsQuery = useRuns(filters);
  const isFiltered = hasRunFilters(filters);
  const runs = runsQuery.data?.pages.flatMap((page) => page.runs) ?? [];

  return (
    <div className="space-y-4">
      <PageHeader
        title="Runs"
        description="Every spec the factory worked on, its outcome and what it cost."
        actions={
          <Link href="/runs/new" className={buttonClasses()}>
            New run
          </Link>
        }
      />

      {runs.length > 0 && <RunsTotals runs={runs} />}

      <RunFiltersBar filters={filters} onChange={setFilters} />

      <Card className="overflow-hidden">
        {runsQuery.isPending ? (
          <LoadingNotice>Loading runs…</LoadingNotice>
        ) : runsQuery.isError && runs.length === 0 ? (
          <LoadError message={`Could not load runs: ${runsQuery.error.message}`} onRetry={() => runsQuery.refetch()} />
        ) : runs.length === 0 && isFiltered ? (
          <div data-testid="runs-no-match" className="px-4 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">No runs match these filters</p>
            <Button variant="secondary" size="sm" className="mt-3" onClick={clearFilters}>
              Clear filters
            </Button>
          </div>
        ) : runs.length === 0 ? (
          <div data-testid="runs-empty" className="px-4 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">No runs yet</p>
            <p className="mt-1 text-sm text-slate-500">Write a spec, pick a repository and a budget, and the factory opens pull requests.</p>
            <Link href="/runs/new" className={buttonClasses({ className: "mt-4" })}>
              Start your first run
            </Link>
          </div>
        ) : (
          <DataTable data-testid="runs-table" aria-busy={runsQuery.isPlaceholderData || undefined} columns={RUN_COLUMNS}>
            {runs.map((run) => (
              <tr key={run.id} data-testid={`run-row-${run.id}`} className="relative hover:bg-slate-50">
                <td className="px-4 py-2.5 align-top">
                  <RunStatusBadge status={run.status} />
                </td>
                <td className="max-w-0 min-w-48 px-4 py-2.5 align-top">
                  <Link href={`/runs/${run.id}`} className="block truncate font-medium text-slate-900 after:absolute after:inset-0 hover:text-accent-700">
                    {run.title}
                  </Link>
                  <span className="block truncate font-mono text-xs text-slate-500">{run.repository ?? "—"}</span>
                </td>
                <td data-testid={`run-prs-${run.id}`} className="px-4 py-2.5 align-top whitespace-nowrap text-slate-700 tabular-nums">
                  {run.pullRequests.opened === 0 ? "—" : `${run.pullRequests.opened} opened · ${run.pullRequests.merged} merged`}
                </td>
                <td className="px-4 py-2.5 align-top">
                  <CostMeter spentUsd={run.spentUsd} reservedUsd={run.reservedUsd} budgetUsd={run.budgetUsd} />
                </td>
                <td className="px-4 py-2.5 text-right align-top whitespace-nowrap text-slate-500">
                  <RelativeTime iso={run.createdAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>

      {runsQuery.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => runsQuery.fetchNextPage()} disabled={runsQuery.isFetchingNextPage}>
            {runsQuery.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}

/** Spend and outcomes across the runs on screen: the return-on-investment glance. */
function RunsTotals({ runs }: { runs: RunSummaryDto[] }) {
  // Follow-ups (answers to human reviews) are part of what a merged PR cost.
  const spentUsd = runs.reduce((sum, run) => sum + run.spentUsd + run.followUpSpentUsd, 0);
  const succeeded = runs.filter((run) => run.status === "succeeded").length;
  const finished = runs.filter((run) => !isActiveRunStatus(run.status)).length;
  const active = runs.length - finished;
  const merged = runs.reduce((sum, run) => sum + run.pullRequests.merged, 0);
  const stats = [
    { label: "Spent (shown runs)", value: formatUsd(spentUsd) },
    { label: "Succeeded", value: finished > 0 ? `${succeeded} of ${finished} finished` : "—" },
    { label: "Merged PRs", value: String(merged) },
    { label: "Cost per merged PR", value: merged > 0 ? formatUsd(spentUsd / merged) : "—" },
    { label: "In progress", value: String(active) },
  ];
  return <StatTiles data-testid="runs-totals" className="sm:grid-cols-5" stats={stats} />;
}
