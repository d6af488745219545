"use client";
// Agent activity, live: a lane per task with its sessions laid out as iterations x roles, the
// newest tool call as a "now" line, and a small convergence chart. Lanes are built from the run
// detail (sessions, iterations); the "now" line comes straight from the SSE stream. The task page
// shows the same convergence chart, full size.
import Link from "next/link";
import { useMemo } from "react";
import type { RunEventDto, TaskDto, TaskIterationPointDto, TaskSessionDto } from "@/lib/client/runs";
import { cx, formatUsd } from "@/lib/client/format";
import { agentRoles } from "@/lib/llm/model-ref";
import { describeToolAction, describeToolActivity, latestToolActivity, type ToolActivity } from "@/lib/client/run-events";
import { Card, CardHeader } from "@/components/ui/card";
import { LineChart } from "@/components/ui/charts";
import { RunStatusBadge } from "./run-status";

/** Roles that work a task, in loop order (the planner works the run, not a task). */
const TASK_ROLES = agentRoles.filter((role) => role !== "planner");

export function TaskLanes({ runId, tasks, events, maxIterations }: { runId: string; tasks: TaskDto[]; events: RunEventDto[]; maxIterations: number }) {
  const latest = useMemo(() => latestToolActivity(events), [events]);
  return (
    <Card aria-labelledby="task-lanes-heading">
      <CardHeader id="task-lanes-heading" title="Agent activity" />
      {tasks.length === 0 ? (
        <p data-testid="task-lanes-empty" className="px-4 py-8 text-center text-sm text-slate-500">
          No tasks yet. Each task gets a lane here once the planner has split the spec.
        </p>
      ) : (
        <ul data-testid="task-lanes" className="divide-y divide-slate-100">
          {tasks.map((task) => (
            <TaskLane key={task.key} runId={runId} task={task} now={latest.byTask.get(task.key)} bySession={latest.bySession} maxIterations={maxIterations} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function TaskLane({ runId, task, now, bySession, maxIterations }: { runId: string; task: TaskDto; now?: ToolActivity; bySession: Map<string, ToolActivity>; maxIterations: number }) {
  const running = task.sessions.find((session) => session.status === "running");
  const nowLine = now ? describeToolActivity(now) : running ? `${running.role} · iteration ${running.iteration} · started` : idleLine(task);
  // Rows from the first iteration any session worked in (the coder's) to the current one.
  const first = Math.min(1, ...task.sessions.map((session) => session.iteration));
  const iterations = Array.from({ length: Math.max(task.iteration, 1) - first + 1 }, (_, index) => first + index);
  return (
    <li data-testid={`task-lane-${task.key}`} className="grid gap-3 px-4 py-3 lg:grid-cols-[minmax(0,1fr)_10rem]">
      <div className="min-w-0 space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/runs/${runId}/tasks/${encodeURIComponent(task.key)}`} className="font-mono text-xs font-semibold text-accent-700 hover:underline">
            {task.key}
          </Link>
          <span className="min-w-0 truncate text-sm text-slate-900">{task.title}</span>
          <RunStatusBadge status={task.status} />
          <span className="ml-auto text-xs text-slate-500 tabular-nums">
            iteration {task.iteration} / {maxIterations} · {formatUsd(task.costUsd)}
          </span>
        </div>
        <p data-testid={`task-now-${task.key}`} aria-live="polite" className="truncate font-mono text-xs text-slate-700" title={nowLine}>
          <span className="mr-1 font-sans font-semibold text-slate-500">now</span>
          {nowLine}
        </p>
        <div className="overflow-x-auto">
          <table className="text-xs">
            <caption className="sr-only">Sessions of task {task.key} by iteration and role</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="pr-2 text-left font-medium">iter.</th>
                {TASK_ROLES.map((role) => (
                  <th key={role} scope="col" className="px-1 text-left font-medium">
                    {role}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {iterations.map((iteration) => (
                <tr key={iteration}>
                  <th scope="row" className="pr-2 text-left font-medium text-slate-500 tabular-nums">
                    {iteration}
                  </th>
                  {TASK_ROLES.map((role) => {
                    const sessions = task.sessions.filter((session) => session.iteration === iteration && session.role === role);
                    return (
                      <td key={role} className="px-1 py-0.5">
                        {sessions.length === 0 ? <span className="text-slate-300">·</span> : sessions.map((session) => <SessionCell key={session.id} session={session} last={bySession.get(session.id)} />)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <ConvergenceChart points={task.convergence} taskKey={task.key} isCompact />
    </li>
  );
}

const SESSION_TONES: Record<TaskSessionDto["status"], string> = {
  running: "bg-indigo-50 text-indigo-800 ring-indigo-300",
  finished: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  stopped: "bg-amber-50 text-amber-800 ring-amber-300",
  failed: "bg-red-50 text-red-800 ring-red-300",
};

function SessionCell({ session, last }: { session: TaskSessionDto; last?: ToolActivity }) {
  const label = session.status === "running" ? "running" : session.stopReason?.replace(/_/g, " ") ?? session.status;
  return (
    <span
      data-testid={`session-${session.id}`}
      data-status={session.status}
      title={`${session.role} on ${session.model}: ${label}${last ? ` — last: ${describeToolAction(last)}` : ""}`}
      className={cx("inline-flex items-center gap-1 rounded px-1.5 py-0.5 whitespace-nowrap ring-1 ring-inset tabular-nums", SESSION_TONES[session.status])}
    >
      {session.status === "running" && <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" />}
      {label} · {formatUsd(session.costUsd)}
    </span>
  );
}

function idleLine(task: TaskDto) {
  if (task.status === "pending") return "waiting for its turn";
  if (task.status === "running") return "between steps (tests, review or push)";
  return `done: ${task.status.replace(/_/g, " ")}`;
}

/**
 * Per task: failing tests, review findings and cumulative cost per iteration. Falling lines with a
 * flattening cost mean the loop converges; flat lines with a climbing cost mean it burns money.
 */
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
