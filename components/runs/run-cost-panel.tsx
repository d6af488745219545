"use client";

import type { RunDetailDto } from "../../lib/client/run-types";
import { formatDuration, formatTokens, formatUsd, formatUsdCents, toPercent } from "../../lib/client/format";
import { Card } from "../ui/card";
import { ProgressBar } from "../ui/progress-bar";
import { useNow } from "../../lib/client/use-now";
import { budgetTone } from "./cost-meter";

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
            <ProgressBar
              value={spentPercent}
              secondaryValue={toPercent(run.reservedUsd, run.budgetUsd)}
              tone={budgetTone(run.spentUsd, run.budgetUsd)}
              label={`${formatUsd(run.spentUsd)} spent of ${formatUsdCents(run.budgetUsd)} budget`}
            />
          </div>
          <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
            <div className="flex gap-1.5">
              <dt className="text-slate-500">Reserved</dt>
              <dd data-testid="run-reserved" className="font-medium text-slate-800 tabular-nums" title="Worst-case cost of model calls in flight">
                {formatUsd(run.reservedUsd)}
              </dd>
            </div>
            <div className="flex gap-1.5">
              <dt className="text-slate-500">Remaining</dt>
              <dd className="font-medium text-slate-800 tabular-nums">{formatUsd(remainingUsd)}</dd>
            </div>
            {run.followUpSpentUsd > 0 && (
              <div className="flex gap-1.5">
                <dt className="text-slate-500">Answering reviews</dt>
                <dd data-testid="run-follow-up-spent" className="font-medium text-slate-800 tabular-nums" title="Spent on human review follow-ups, each on its own budget, not this run's">
                  {formatUsd(run.followUpSpentUsd)}
                </dd>
              </div>
            )}
            {run.startedAt && (
              <div className="flex gap-1.5">
                <dt className="text-slate-500">{run.finishedAt ? "Took" : "Running for"}</dt>
                <dd className="font-medium text-slate-800 tabular-nums">{formatDuration(run.startedAt, endMs)}</dd>
              </div>
            )}
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
