// The eval's results: one summary row per configuration (side by side), a task × configuration
// grid, and the JSON report with every number behind them. Tables are Markdown, so they paste
// into an issue or PR as they are.
import type { EvalConfig } from "./eval-configs";
import type { EvalTaskResult } from "./run-eval-task";

export type ConfigSummary = {
  config: string;
  tasks: number;
  resolved: number;
  /** resolved / tasks, 0..1. */
  resolveRate: number;
  totalCostUsd: number;
  costPerTaskUsd: number;
  /** Total spend divided by resolved tasks: what one working change cost. Null when none resolved. */
  costPerResolvedUsd: number | null;
  meanIterations: number;
  meanWallTimeSec: number;
  totalWallTimeSec: number;
  /** What the configuration asked for that this factory version's API did not accept. */
  unsupported: string[];
};

export type EvalReport = {
  version: 1;
  startedAt: string;
  finishedAt: string;
  engine: string;
  tasks: string[];
  configs: { name: string; description: string; asked: { attempts: number; models: Record<string, string[]>; escalateAfterIterations: number | null; budgetUsd: number; maxIterations: number } }[];
  summary: ConfigSummary[];
  results: EvalTaskResult[];
};

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export function summarizeConfig(config: string, results: EvalTaskResult[], unsupported: string[]): ConfigSummary {
  const resolved = results.filter((r) => r.isResolved).length;
  const totalCostUsd = results.reduce((sum, r) => sum + r.costUsd, 0);
  return {
    config,
    tasks: results.length,
    resolved,
    resolveRate: results.length ? resolved / results.length : 0,
    totalCostUsd,
    costPerTaskUsd: results.length ? totalCostUsd / results.length : 0,
    costPerResolvedUsd: resolved ? totalCostUsd / resolved : null,
    meanIterations: mean(results.map((r) => r.iterations)),
    meanWallTimeSec: mean(results.map((r) => r.wallTimeSec)),
    totalWallTimeSec: results.reduce((sum, r) => sum + r.wallTimeSec, 0),
    unsupported,
  };
}

export function buildEvalReport(input: { startedAt: Date; engine: string; taskIds: string[]; configs: EvalConfig[]; results: EvalTaskResult[]; unsupported: Map<string, string[]> }): EvalReport {
  return {
    version: 1,
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    engine: input.engine,
    tasks: input.taskIds,
    configs: input.configs.map((config) => ({
      name: config.name,
      description: config.description,
      asked: { attempts: config.attempts, models: config.roleModels, escalateAfterIterations: config.escalateAfterIterations ?? null, budgetUsd: config.budgetUsd, maxIterations: config.maxIterations },
    })),
    summary: input.configs.map((config) => summarizeConfig(config.name, input.results.filter((r) => r.config === config.name), input.unsupported.get(config.name) ?? [])),
    results: input.results,
  };
}

/** Cents for dollar amounts, two significant digits below a dollar ($0.0094, $0.35). */
export const formatUsd = (usd: number) => (usd >= 1 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`);
const formatSec = (sec: number) => (sec >= 90 ? `${(sec / 60).toFixed(1)} min` : `${sec.toFixed(1)} s`);

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export function formatSummaryTable(summary: ConfigSummary[]): string {
  return markdownTable(
    ["config", "resolved", "resolve rate", "$ / task", "$ / resolved", "iterations / task", "wall time / task", "total $"],
    summary.map((s) => [
      s.config,
      `${s.resolved}/${s.tasks}`,
      `${Math.round(s.resolveRate * 100)}%`,
      formatUsd(s.costPerTaskUsd),
      s.costPerResolvedUsd === null ? "–" : formatUsd(s.costPerResolvedUsd),
      s.meanIterations.toFixed(1),
      formatSec(s.meanWallTimeSec),
      formatUsd(s.totalCostUsd),
    ]),
  );
}

/** Tasks down, configurations across: "✓" or "✗", cost, iterations and wall time per cell. */
export function formatTaskGrid(report: EvalReport): string {
  const configs = report.configs.map((c) => c.name);
  const rows = report.tasks.map((taskId) => [
    taskId,
    ...configs.map((config) => {
      const result = report.results.find((r) => r.taskId === taskId && r.config === config);
      if (!result) return "–";
      return `${result.isResolved ? "✓" : "✗"} ${formatUsd(result.costUsd)} ${result.iterations} it ${formatSec(result.wallTimeSec)}`;
    }),
  ]);
  return markdownTable(["task", ...configs], rows);
}

/** Why each unresolved task failed, and what each configuration asked for that did not run. */
export function formatNotes(report: EvalReport): string[] {
  const notes: string[] = [];
  for (const result of report.results.filter((r) => !r.isResolved)) notes.push(`${result.config} / ${result.taskId}: ${result.reason ?? result.runStatus}`);
  for (const summary of report.summary) {
    if (summary.unsupported.length) notes.push(`${summary.config}: not yet accepted by POST /api/runs, so not applied: ${summary.unsupported.join("; ")}`);
  }
  return notes;
}
