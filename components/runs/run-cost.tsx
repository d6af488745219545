"use client";
// What a run spent against its budget: the big panel on the run page and the small meter in tables.

import type { RunDetailDto } from "@/lib/client/runs";
import { formatDuration, formatTokens, formatUsd, formatUsdCents, toPercent } from "@/lib/client/format";
import { useNow } from "@/lib/client/browser-hooks";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";

/** Spent (solid) and reserved (hatched) against the budget; amber past 80 %, red once it is used up. */
function BudgetBar({ spentUsd, reservedUsd, budgetUsd, size }: { spentUsd: number; reservedUsd: number; budgetUsd: number; size?: "sm" | "md" }) {
  const spentPercent = toPercent(spentUsd, budgetUsd);
  return (
    <ProgressBar
      size={size}
      value={spentPercent}
      secondaryValue={toPercent(reservedUsd, budgetUsd)}
      tone={spentPercent >= 99.5 ? "danger" : spentPercent >= 80 ? "warning" : "accent"}
      label={`${formatUsd(spentUsd)} spent of ${formatUsdCents(budgetUsd)} budget`}
    />
  );
}

/** "$1.24 / $5.00" with a small bar, for tables. */
export function CostMeter({ spentUsd, reservedUsd, budgetUsd }: { spentUsd: number; reservedUsd: number; budgetUsd: number }) {
  return (
    <div className="min-w-44">
      <div className="text-sm tabular-nums">
        <span className="font-medium text-slate-900">{formatUsd(spentUsd)}</span>
        <span className="text-slate-500"> / {formatUsdCents(budgetUsd)}</span>
      </div>
      <div className="mt-1">
        <BudgetBar size="sm" spentUsd={spentUsd} reservedUsd={reservedUsd} budgetUsd={budgetUsd} />
      </div>
    </div>
  );
}

/** Spent against budget, front and centre: the number a team judges the factory by. */
export function RunCostPanel({ run }: { run: RunDetailDto }) {
  const now = useNow(run.finishedAt ? 60_000 : 1_000);
  const spentPercent = toPercent(run.spentUsd, run.budgetUsd);
  const remainingUsd = Math.max(0, run.budgetUsd - run.spentUsd - run.reservedUsd);
  const tokenStats = [
    { label: "Input", value: run.tokens.input },
    { label: "Output", value: run.tokens.output },
    { label: "Cache read", value: run.tokens.cacheRead },
    { label: "Cache write", value: run.tokens.cacheWrite },
  ];
  const endMs = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const figures: { label: string; value: string; testId?: string; title?: string }[] = [
    { label: "Reserved", value: formatUsd(run.reservedUsd), testId: "run-reserved", title: "Worst-case cost of model calls in flight" },
    { label: "Remaining", value: formatUsd(remainingUsd) },
    ...(run.followUpSpentUsd > 0
      ? [{ label: "Answering reviews", value: formatUsd(run.followUpSpentUsd), testId: "run-follow-up-spent", title: "Spent on human review follow-ups, each on its own budget, not this run's" }]
      : []),
    ...(run.startedAt ? [{ label: run.finishedAt ? "Took" : "Running for", value: formatDuration(run.startedAt, endMs) }] : []),
  ];

  return (
    <Card aria-label="Cost" className="p-5">
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <div>
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Spent</p>
          <p className="mt-0.5 flex flex-wrap items-baseline gap-x-2">
            <span data-testid="run-spent" className="text-3xl font-semibold tracking-tight text-slate-900 tabular-nums">
              {formatUsd(run.spentUsd)}
            </span>
            <span className="text-sm text-slate-500">
              of <span data-testid="run-budget" className="font-medium text-slate-700 tabular-nums">{formatUsdCents(run.budgetUsd)}</span> budget
              <span className="ml-1.5 tabular-nums">({spentPercent.toFixed(spentPercent < 10 ? 1 : 0)}%)</span>
            </span>
          </p>
          <div className="mt-3">
            <BudgetBar spentUsd={run.spentUsd} reservedUsd={run.reservedUsd} budgetUsd={run.budgetUsd} />
          </div>
          <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
            {figures.map((figure) => (
              <div key={figure.label} className="flex gap-1.5">
                <dt className="text-slate-500">{figure.label}</dt>
                <dd data-testid={figure.testId} className="font-medium text-slate-800 tabular-nums" title={figure.title}>
                  {figure.value}
                </dd>
              </div>
            ))}
          </dl>
        </div>
        <div>
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Tokens</p>
          <dl className="mt-1 grid grid-cols-2 gap-x-4 gap-y-2">
            {tokenStats.map((stat) => (
              <div key={stat.label}>
                <dt className="text-xs text-slate-500">{stat.label}</dt>
                <dd className="text-base font-semibold text-slate-900 tabular-nums" title={stat.value.toLocaleString("en-US")}>
                  {formatTokens(stat.value)}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </Card>
  );
}
