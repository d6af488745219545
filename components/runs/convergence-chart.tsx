// Per task: failing tests, review findings and cumulative cost per iteration. Falling lines
// with a flattening cost mean the loop converges; flat lines with a climbing cost mean it burns money.
import type { TaskIterationPointDto } from "../../lib/client/run-types";
import { formatUsd } from "../../lib/client/format";
import { LineChart } from "../charts/line-chart";

export function ConvergenceChart({ points, taskKey, isCompact = false }: { points: TaskIterationPointDto[]; taskKey: string; isCompact?: boolean }) {
  if (points.length === 0) {
    return (
      <p data-testid={`convergence-empty-${taskKey}`} className="text-xs text-slate-500">
        No iteration measured yet.
      </p>
    );
  }
  return (
    <LineChart
      testId={`convergence-${taskKey}`}
      title={`Convergence of task ${taskKey}`}
      isCompact={isCompact}
      className={isCompact ? undefined : "max-w-2xl"}
      width={isCompact ? 160 : 560}
      height={isCompact ? 48 : 220}
      xLabels={points.map((point) => `#${point.iteration}`)}
      series={[
        { label: "Failing tests", color: "var(--chart-danger)", values: points.map((point) => point.testsFailed) },
        { label: "Review findings", color: "var(--chart-warning)", values: points.map((point) => point.reviewFindings) },
        { label: "Cumulative cost", color: "var(--chart-accent)", axis: "right", isDashed: true, format: formatUsd, values: points.map((point) => point.cumulativeCostUsd) },
      ]}
    />
  );
}
