// Charts drawn with visx: plain SVG from React, so they render the same on the server and in the
// browser (no measuring, no canvas) and scale to their container through the viewBox. Colours
// come from CSS variables, so dark mode needs no second render. Each chart carries its numbers
// in a "Show data" table, for screen readers, keyboard users and anyone who wants exact values.
import { AxisBottom, AxisLeft, AxisRight } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scalePoint } from "@visx/scale";
import { Bar, LinePath } from "@visx/shape";
import { cx } from "@/lib/client/format";

export type LineSeries = {
  label: string;
  /** A CSS colour, e.g. "var(--chart-1)". */
  color: string;
  values: (number | null)[];
  /** Series on the right axis share its scale (e.g. money next to counts). */
  axis?: "left" | "right";
  format?: (value: number) => string;
  isDashed?: boolean;
};

type LineChartProps = {
  title: string;
  xLabels: string[];
  series: LineSeries[];
  width?: number;
  height?: number;
  isCompact?: boolean;
  testId?: string;
  className?: string;
};

const AXIS_FONT = { fontSize: 11, fill: "currentColor", fontFamily: "inherit" } as const;

export function LineChart({ title, xLabels, series, width = 560, height = 220, isCompact = false, testId, className }: LineChartProps) {
  const hasRight = series.some((line) => line.axis === "right");
  const margin = isCompact ? { top: 6, right: 6, bottom: 6, left: 6 } : { top: 12, right: hasRight ? 52 : 16, bottom: 28, left: 40 };
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const x = scalePoint<string>({ domain: xLabels, range: [0, innerWidth], padding: 0.3 });
  const maxOf = (axis: "left" | "right") =>
    Math.max(0, ...series.filter((line) => (line.axis ?? "left") === axis).flatMap((line) => line.values.filter((value): value is number => value !== null)));
  const rightFormat = series.find((line) => line.axis === "right")?.format;
  const leftFormat = series.find((line) => (line.axis ?? "left") === "left")?.format;
  // Unformatted series are counts: whole-number ticks, at least 0..1. Money keeps its scale.
  const leftMax = maxOf("left");
  const leftTicks = leftFormat ? 4 : Math.min(4, Math.max(1, Math.ceil(leftMax)));
  const left = scaleLinear<number>({ domain: [0, leftFormat ? leftMax || 1 : Math.max(1, leftMax)], range: [innerHeight, 0], nice: true });
  const right = scaleLinear<number>({ domain: [0, maxOf("right") || 1], range: [innerHeight, 0], nice: true });
  // At most ~8 labels along the bottom, so a 30-day range stays readable.
  const labelStep = Math.ceil(xLabels.length / 8);
  const bottomTicks = xLabels.filter((_, index) => index % labelStep === 0);

  return (
    <figure data-testid={testId} className={cx("text-slate-500", className)}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={describeLines(title, xLabels, series)} className="h-auto w-full">
        <Group left={margin.left} top={margin.top}>
          {!isCompact && (
            <>
              <AxisLeft scale={left} numTicks={leftTicks} stroke="currentColor" tickStroke="currentColor" tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: "end", dx: -4, dy: 4 })} tickFormat={(value) => (leftFormat ? leftFormat(Number(value)) : String(value))} />
              <AxisBottom top={innerHeight} scale={x} tickValues={bottomTicks} stroke="currentColor" tickStroke="currentColor" tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: "middle" })} />
              {hasRight && (
                <AxisRight left={innerWidth} scale={right} numTicks={4} stroke="currentColor" tickStroke="currentColor" tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: "start", dx: 4, dy: 4 })} tickFormat={(value) => (rightFormat ? rightFormat(Number(value)) : String(value))} />
              )}
            </>
          )}
          {series.map((line) => {
            const scale = line.axis === "right" ? right : left;
            const points = line.values.map((value, index) => ({ value, label: xLabels[index] })).filter((point): point is { value: number; label: string } => point.value !== null);
            return (
              <g key={line.label} data-series={line.label}>
                <LinePath
                  data={points}
                  x={(point) => x(point.label) ?? 0}
                  y={(point) => scale(point.value)}
                  style={{ stroke: line.color }}
                  strokeWidth={isCompact ? 1.5 : 2}
                  strokeDasharray={line.isDashed ? "4 3" : undefined}
                  fill="none"
                />
                {points.map((point) => (
                  <circle key={point.label} cx={x(point.label) ?? 0} cy={scale(point.value)} r={isCompact ? 2 : 3} style={{ fill: line.color }} />
                ))}
              </g>
            );
          })}
        </Group>
      </svg>
      <figcaption className={cx("flex flex-wrap gap-x-3 gap-y-1 text-xs", isCompact && "sr-only")}>
        {series.map((line) => (
          <span key={line.label} className="inline-flex items-center gap-1 text-slate-600">
            <span aria-hidden className="inline-block h-0.5 w-3" style={{ background: line.color }} />
            {line.label}
          </span>
        ))}
      </figcaption>
      {!isCompact && <ChartDataTable title={title} columns={xLabels} rows={series.map((line) => ({ label: line.label, values: line.values.map((value) => (value === null ? "—" : line.format ? line.format(value) : String(value))) }))} />}
    </figure>
  );
}

function describeLines(title: string, xLabels: string[], series: LineSeries[]) {
  const parts = series.map((line) => {
    const values = line.values.map((value, index) => `${xLabels[index]}: ${value === null ? "none" : line.format ? line.format(value) : value}`);
    return `${line.label} (${values.join(", ")})`;
  });
  return `${title}. ${parts.join("; ")}`;
}

/** Horizontal bars: one per labelled value, the label on the left, the value at the bar's end. */
type BarChartProps = {
  title: string;
  bars: { label: string; value: number }[];
  format: (value: number) => string;
  color?: string;
  width?: number;
  testId?: string;
};

const ROW_HEIGHT = 26;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 72;

export function BarChart({ title, bars, format, color = "var(--chart-accent)", width = 560, testId }: BarChartProps) {
  const height = Math.max(1, bars.length) * ROW_HEIGHT + 8;
  const innerWidth = width - LABEL_WIDTH - VALUE_WIDTH;
  const y = scaleBand<string>({ domain: bars.map((bar) => bar.label), range: [4, height - 4], padding: 0.25 });
  const x = scaleLinear<number>({ domain: [0, Math.max(...bars.map((bar) => bar.value), 0) || 1], range: [0, innerWidth] });
  const description = `${title}. ${bars.map((bar) => `${bar.label}: ${format(bar.value)}`).join("; ")}`;
  return (
    <figure data-testid={testId} className="text-slate-600">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={description} className="h-auto w-full">
        {bars.map((bar) => {
          const top = y(bar.label) ?? 0;
          const barWidth = Math.max(bar.value > 0 ? 2 : 0, x(bar.value));
          return (
            <Group key={bar.label} top={top}>
              <text x={LABEL_WIDTH - 8} y={y.bandwidth() / 2} dy="0.35em" textAnchor="end" fontSize={12} fill="currentColor">
                {bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label}
              </text>
              <Bar x={LABEL_WIDTH} y={0} width={barWidth} height={y.bandwidth()} rx={2} style={{ fill: color }} />
              <text x={LABEL_WIDTH + barWidth + 6} y={y.bandwidth() / 2} dy="0.35em" fontSize={12} fill="currentColor" className="tabular-nums">
                {format(bar.value)}
              </text>
            </Group>
          );
        })}
      </svg>
      <ChartDataTable title={title} columns={["value"]} rows={bars.map((bar) => ({ label: bar.label, values: [format(bar.value)] }))} />
    </figure>
  );
}

/** The numbers behind a chart, one click away. */
function ChartDataTable({ title, columns, rows }: { title: string; columns: string[]; rows: { label: string; values: string[] }[] }) {
  return (
    <details className="mt-1 text-xs">
      <summary className="cursor-pointer text-slate-500 select-none hover:text-slate-800">Show data</summary>
      <div tabIndex={0} role="region" aria-label={`${title}: data`} className="mt-1 overflow-x-auto">
        <table className="w-full text-left tabular-nums">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className="px-2 py-1 font-medium" />
              {columns.map((column) => (
                <th key={column} scope="col" className="px-2 py-1 font-medium">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label} className="border-t border-slate-200">
                <th scope="row" className="px-2 py-1 font-medium whitespace-nowrap">
                  {row.label}
                </th>
                {row.values.map((value, index) => (
                  <td key={index} className="px-2 py-1 text-slate-700">
                    {value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
