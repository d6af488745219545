// Horizontal bars drawn with visx: one bar per labelled value, label on the left, value at the
// bar's end. Plain SVG, so it renders on the server; scales with its container via the viewBox.
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { ChartDataTable } from "./chart-data-table";

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
