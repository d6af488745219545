"use client";
// The run page: header and actions, cost, outcome, agent activity, tasks, the event log and the spec.

import Link from "next/link";
import { ApiError } from "@/lib/client/api-fetch";
import { cx, formatClockTime, formatDateTime, formatUsd, formatUsdCents, formatUsdDelta } from "@/lib/client/format";
import { describeRunEvent, useRunEvents, type StreamStatus } from "@/lib/client/run-events";
import type { RunDetailDto, RunEventDto, RunStatus } from "@/lib/client/runs";
import { useCancelRun, useRun } from "@/lib/client/runs";
import { useDocumentTitle } from "@/lib/client/browser-hooks";
import { isActiveRunStatus } from "@/lib/runs/run-status";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { Markdown } from "./markdown";
import { RunCostPanel } from "./run-cost";
import { formatStatus, RelativeTime, RunStatusBadge, StreamStatusIndicator } from "./run-status";
import { RunTasksTable } from "./run-tasks-table";
import { TaskLanes } from "./task-lanes";

export function RunView({ runId }: { runId: string }) {
  const runQuery = useRun(runId);
  // Keep streaming while a cached run exists, even if a background refetch fails.
  const { events, streamStatus } = useRunEvents(runId, { isEnabled: runQuery.data !== undefined });
  const run = runQuery.data;
  // "running · $0.42 · Add a health endpoint": the tab says how the run is doing while you work elsewhere.
  useDocumentTitle(run ? `${formatStatus(run.status)} · ${formatUsd(run.spentUsd)} · ${run.title}` : null);

  if (runQuery.isPending) {
    return (
      <p role="status" className="py-10 text-center text-sm text-slate-500">
        Loading run…
      </p>
    );
  }
  if (!run) {
    const isNotFound = runQuery.error instanceof ApiError && runQuery.error.status === 404;
    return (
      <Card role="alert" className="mx-auto max-w-lg p-6 text-center">
        <h1 className="text-base font-semibold text-slate-900">{isNotFound ? "Run not found" : "Could not load the run"}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {isNotFound ? "There is no run with this id. It may have been deleted." : runQuery.error?.message}
        </p>
        <div className="mt-4 flex justify-center gap-2">
          <Link href="/" className={buttonClasses({ variant: "secondary" })}>
            All runs
          </Link>
          {!isNotFound && <Button onClick={() => runQuery.refetch()}>Try again</Button>}
        </div>
      </Card>
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs text-slate-500">
            <Link href="/" className="hover:text-slate-800">
              Runs
            </Link>
            <span aria-hidden> / </span>
            <span className="font-mono">{run.id}</span>
          </p>
          <h1 data-testid="run-title" className="mt-1 text-xl font-semibold tracking-tight break-words text-slate-900">
            {run.title}
          </h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-500">
            <RunStatusBadge status={run.status} testId="run-status" />
            {run.repository && (
              <a
                href={`https://github.com/${run.repository}`}
                target="_blank"
                rel="noopener noreferrer"
                className="font-mono text-slate-700 hover:text-accent-700 hover:underline"
              >
                {run.repository}
              </a>
            )}
            <span>
              created <RelativeTime iso={run.createdAt} />
            </span>
            <span>up to {run.maxIterations} iterations per task</span>
          </p>
          <RunModels models={run.models} />
        </div>
        <div className="flex flex-wrap gap-2">
          {/* A link styled as a button: the form loads this run on the server (/runs/new?from=<id>). */}
          <Link
            href={`/runs/new?from=${encodeURIComponent(run.id)}`}
            data-testid="rerun-run"
            aria-label="Re-run this spec with other models"
            title="Open the new-run form with this run's spec, limits and models per role"
            className={buttonClasses({ variant: "secondary", size: "sm" })}
          >
            Re-run
          </Link>
          {isActiveRunStatus(run.status) && <CancelRunButton runId={run.id} />}
        </div>
      </div>

      <RunCostPanel run={run} />
      <RunOutcome run={run} />
      <TaskLanes runId={run.id} tasks={run.tasks} events={events} maxIterations={run.maxIterations} />
      <RunTasksTable runId={run.id} tasks={run.tasks} maxIterations={run.maxIterations} />
      <RunEventList events={events} streamStatus={streamStatus} />

      <details className="group rounded-lg border border-slate-200 bg-white shadow-sm">
        <summary className="cursor-pointer px-4 py-2.5 text-sm font-semibold text-slate-900 select-none">Spec</summary>
        <div className="border-t border-slate-200 px-4 py-3">
          <Markdown>{run.spec}</Markdown>
        </div>
      </details>
    </div>
  );
}

/** Which model serves each role of the run; roles sharing a model are grouped. */
function RunModels({ models }: { models: Record<string, string> }) {
  const byModel = new Map<string, string[]>();
  for (const [role, model] of Object.entries(models ?? {})) byModel.set(model, [...(byModel.get(model) ?? []), role]);
  if (byModel.size === 0) return null;
  return (
    <p data-testid="run-models" className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-500">
      {[...byModel].map(([model, roles]) => (
        <span key={model}>
          {roles.join(", ")}: <span className="font-mono text-slate-700">{model}</span>
        </span>
      ))}
    </p>
  );
}

/** Cancels after a native confirm dialog (Playwright: accept it with page.once("dialog")). */
function CancelRunButton({ runId }: { runId: string }) {
  const cancelRun = useCancelRun(runId);
  const showToast = useToast();

  const handleClick = () => {
    const isConfirmed = window.confirm("Cancel this run? Agents stop at their next step. Money already spent stays spent.");
    if (!isConfirmed) return;
    cancelRun.mutate(undefined, {
      onSuccess: () => showToast({ tone: "success", message: "Run cancelled." }),
      onError: (error) => showToast({ tone: "error", title: "Could not cancel the run", message: error.message }),
    });
  };

  return (
    <Button variant="danger" size="sm" data-testid="cancel-run" onClick={handleClick} disabled={cancelRun.isPending}>
      {cancelRun.isPending ? "Cancelling…" : "Cancel run"}
    </Button>
  );
}

const OUTCOME_STYLES: Partial<Record<RunStatus, { headline: string; className: string }>> = {
  succeeded: { headline: "Succeeded", className: "border-emerald-200 bg-emerald-50 text-emerald-900" },
  failed: { headline: "Failed", className: "border-red-200 bg-red-50 text-red-900" },
  budget_exhausted: { headline: "Stopped: budget exhausted", className: "border-amber-200 bg-amber-50 text-amber-900" },
  cancelled: { headline: "Cancelled", className: "border-slate-200 bg-slate-100 text-slate-800" },
};

/** How the run ended, what it cost and what it produced; shown once the run is finished. */
function RunOutcome({ run }: { run: RunDetailDto }) {
  const style = OUTCOME_STYLES[run.status];
  if (!style) {
    return run.error ? <ErrorBox message={run.error} /> : null;
  }
  const pullRequests = run.tasks.filter((task) => task.pullRequest).length;
  const tasksDone = run.tasks.filter((task) => task.status === "succeeded").length;
  return (
    <section aria-label="Outcome" className={cx("rounded-lg border px-4 py-3", style.className)}>
      <p className="text-sm">
        <span className="font-semibold">{style.headline}</span>
        <span className="opacity-80">
          {" · "}
          {formatUsd(run.spentUsd)} of {formatUsdCents(run.budgetUsd)}
          {run.tasks.length > 0 && ` · ${tasksDone} of ${run.tasks.length} tasks done`}
          {` · ${pullRequests} pull request${pullRequests === 1 ? "" : "s"}`}
        </span>
      </p>
      {run.error && <p className="mt-1 text-sm break-words">{run.error}</p>}
      {run.summary && (
        <div className="mt-2 rounded-md bg-white/70 p-3">
          <Markdown>{run.summary}</Markdown>
        </div>
      )}
    </section>
  );
}

function ErrorBox({ message }: { message: string }) {
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      {message}
    </p>
  );
}

/** The run's progress log, newest first, as it streams in. */
function RunEventList({ events, streamStatus }: { events: RunEventDto[]; streamStatus: StreamStatus }) {
  const newestFirst = [...events].reverse();
  return (
    <Card aria-labelledby="run-events-heading">
      <CardHeader id="run-events-heading" title="Events" count={events.length} actions={<StreamStatusIndicator status={streamStatus} />} />
      <div data-testid="event-list" tabIndex={0} role="region" aria-label="Run events" className="max-h-[32rem] overflow-y-auto">
        {newestFirst.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-500">No events yet. They appear here as the factory works.</p>
        ) : (
          <ol className="divide-y divide-slate-100" aria-label="Run events, newest first">
            {newestFirst.map((event) => {
              const summary = describeRunEvent(event);
              return (
                <li key={event.id} data-testid={`event-${event.id}`} className="grid grid-cols-[auto_1fr_auto] items-baseline gap-x-3 px-4 py-2 text-sm">
                  <time dateTime={event.createdAt} title={formatDateTime(event.createdAt)} className="font-mono text-xs text-slate-500 tabular-nums">
                    {formatClockTime(event.createdAt)}
                  </time>
                  <div className="min-w-0">
                    <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{event.type}</span>
                    {summary && <span className="break-words text-slate-700">{summary}</span>}
                  </div>
                  <span className="text-right font-mono text-xs tabular-nums text-slate-700">
                    {event.costDeltaUsd > 0 ? formatUsdDelta(event.costDeltaUsd) : ""}
                  </span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </Card>
  );
}
