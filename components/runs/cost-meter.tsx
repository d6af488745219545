import { formatUsd, formatUsdCents, toPercent } from "../../lib/client/format";
import { ProgressBar } from "../ui/progress-bar";

/** Tone of a budget bar: amber past 80 %, red once the budget is used up. */
export function budgetTone(spentUsd: number, budgetUsd: number) {
  const percent = toPercent(spentUsd, budgetUsd);
  return percent >= 99.5 ? "danger" : percent >= 80 ? "warning" : "accent";
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
        <ProgressBar
          size="sm"
          value={toPercent(spentUsd, budgetUsd)}
          secondaryValue={toPercent(reservedUsd, budgetUsd)}
          tone={budgetTone(spentUsd, budgetUsd)}
          label={`${formatUsd(spentUsd)} spent of ${formatUsdCents(budgetUsd)} budget`}
        />
      </div>
    </div>
  );
}
