// The return-on-investment page: what the factory spent, on what, and what it got back.
// A server component: the data is already aggregated, and the charts render to SVG here.
import Link from "next/link";
import type { InsightsDto } from "@/lib/insights/get-insights";
import { formatUsd } from "@/lib/client/format";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader, DataTable, StatTiles } from "@/components/ui/card";
import { BarChart, LineChart } from "@/components/ui/charts";
import { TextField } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";

type InsightsViewProps = { requested: { from?: string; to?: string } } & ({ insights: InsightsDto; error?: undefined } | { insights?: undefined; error: string });

const PRESETS = [
  { label: "7 days", days: 7 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
];

const OUTCOME_COLUMNS = [
  "Role",
  "Model",
  { label: "Tasks", className: "text-right" },
  "Success rate",
  { label: "Mean iterations", className: "text-right" },
  { label: "Model cache reads", className: "text-right" },
];

const formatPercent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)}%`);
const formatMaybeUsd = (value: number | null) => (value === null ? "—" : formatUsd(value));

export function InsightsView({ insights, error, requested }: InsightsViewProps) {
  const from = insights?.range.from ?? requested.from ?? "";
  const to = insights?.range.to ?? requested.to ?? "";
  return (
    <div className="space-y-4">
      <PageHeader
        title="Insights"
        description="What the factory spent, on which roles and models, and what it delivered for it."
        actions={<RangeForm from={from} to={to} />}
      />

      {error !== undefined || !insights ? (
        <Card role="alert" data-testid="insights-error" className="p-6 text-center">
          <p className="text-sm font-medium text-red-700">Cannot show this range: {error ?? "no data"}</p>
          <Link href="/insights" className={buttonClasses({ variant: "secondary", size: "sm", className: "mt-3" })}>
            Show the last 30 days
          </Link>
        </Card>
      ) : insights.totals.runs === 0 && insights.totals.spendUsd === 0 ? (
        <Card data-testid="insights-empty" className="p-10 text-center">
          <p className="text-sm font-medium text-slate-900">Nothing was spent between {insights.range.from} and {insights.range.to}</p>
          <p className="mt-1 text-sm text-slate-500">Pick a wider range, or start a run: its cost and outcome show up here.</p>
        </Card>
      ) : (
        <InsightsBody insights={insights} />
      )}
    </div>
  );
}

function RangeForm({ from, to }: { from: string; to: string }) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <nav aria-label="Preset ranges" className="flex gap-1">
        {PRESETS.map((preset) => (
          <Link key={preset.days} href={`/insights?${presetQuery(preset.days)}`} className={buttonClasses({ variant: "ghost", size: "sm" })}>
            {preset.label}
          </Link>
        ))}
      </nav>
      {/* A plain GET form: the range lives in the URL and works without JavaScript. */}
      <form method="get" action="/insights" aria-label="Date range" className="flex flex-wrap items-end gap-2">
        {[
          { name: "from", label: "From", value: from },
          { name: "to", label: "To", value: to },
        ].map((field) => (
          <TextField key={field.name} id={`insights-${field.name}`} label={field.label} data-testid={`insights-${field.name}`} type="date" name={field.name} defaultValue={field.value} required className="w-40" />
        ))}
        <button type="submit" data-testid="insights-apply" className={buttonClasses({ size: "md" })}>
          Apply
        </button>
      </form>
    </div>
  );
}

function presetQuery(days: number) {
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 24 * 3600 * 1000);
  return new URLSearchParams({ from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) }).toString();
}

function InsightsBody({ insights }: { insights: InsightsDto }) {
  const { totals } = insights;
  const stats = [
    { testId: "insight-spend", label: "Spent", value: formatUsd(totals.spendUsd) },
    { testId: "insight-merged", label: "Merged PRs", value: String(totals.mergedPullRequests) },
    { testId: "insight-cost-per-pr", label: "$ per merged PR", value: formatMaybeUsd(totals.costPerMergedPrUsd) },
    { testId: "insight-cost-per-task", label: "$ per resolved task", value: formatMaybeUsd(totals.costPerResolvedTaskUsd) },
    { testId: "insight-cache-share", label: "Cache-read share", value: formatPercent(totals.cacheReadShare) },
    { testId: "insight-runs", label: "Runs", value: String(totals.runs) },
  ];
  return (
    <>
      <StatTiles data-testid="insights-totals" className="sm:grid-cols-3 lg:grid-cols-6" stats={stats} />

      <Card aria-labelledby="insights-over-time">
        <CardHeader id="insights-over-time" title={`Spend and $ per merged PR, by ${insights.range.bucket}`} />
        <div className="p-4">
          <LineChart
            testId="chart-cost-per-pr"
            className="max-w-3xl"
            title={`Spend and spend per merged PR by ${insights.range.bucket}`}
            xLabels={insights.overTime.map((row) => row.bucket.slice(5))}
            series={[
              { label: "$ per merged PR", color: "var(--chart-accent)", format: formatUsd, values: insights.overTime.map((row) => row.costPerMergedPrUsd) },
              { label: "Spend", color: "var(--chart-neutral)", format: formatUsd, isDashed: true, values: insights.overTime.map((row) => row.spendUsd) },
            ]}
          />
        </div>
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="insights-by-role">
          <CardHeader id="insights-by-role" title="Spend by role" />
          <div className="p-4">
            <BarChart testId="chart-spend-by-role" title="Spend by role" format={formatUsd} bars={insights.spendByRole.map((row) => ({ label: row.role, value: row.spendUsd }))} />
          </div>
        </Card>
        <Card aria-labelledby="insights-by-model">
          <CardHeader id="insights-by-model" title="Spend by model" />
          <div className="p-4">
            <BarChart testId="chart-spend-by-model" title="Spend by model" format={formatUsd} color="var(--chart-info)" bars={insights.spendByModel.map((row) => ({ label: row.model, value: row.spendUsd }))} />
          </div>
        </Card>
      </div>

      <Card aria-labelledby="insights-outcomes">
        <CardHeader id="insights-outcomes" title="Outcomes by role and model" />
        {insights.outcomesByRoleAndModel.length === 0 ? (
          <p className="px-4 py-6 text-center text-sm text-slate-500">No task finished in this range.</p>
        ) : (
          <DataTable data-testid="insights-outcomes-table" columns={OUTCOME_COLUMNS}>
            {insights.outcomesByRoleAndModel.map((row) => (
              <tr key={`${row.role}|${row.model}`} data-testid={`outcome-${row.role}-${row.model}`}>
                <td className="px-4 py-2">{row.role}</td>
                <td className="px-4 py-2 font-mono text-xs">{row.model}</td>
                <td className="px-4 py-2 text-right tabular-nums">{row.tasks}</td>
                <td className="px-4 py-2">
                  <span className="flex items-center gap-2">
                    <span aria-hidden className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200">
                      <span className="block h-full bg-emerald-600" style={{ width: `${Math.round(row.successRate * 100)}%` }} />
                    </span>
                    <span className="tabular-nums">
                      {formatPercent(row.successRate)} <span className="text-slate-500">({row.succeeded}/{row.tasks})</span>
                    </span>
                  </span>
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{row.meanIterations.toFixed(1)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{formatPercent(insights.spendByModel.find((model) => model.model === row.model)?.cacheReadShare ?? null)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </>
  );
}
