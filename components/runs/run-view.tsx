"use client";

import Link from "next/link";
import { ApiError } from "../../lib/client/api-fetch";
import { useRun } from "../../lib/client/use-run";
import { isActiveRunStatus } from "../../lib/runs/run-status";
import { useRunEvents } from "../../lib/client/use-run-events";
import { useDocumentTitle } from "../../lib/client/use-document-title";
import { formatUsd } from "../../lib/client/format";
import { Button, buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { CancelRunButton } from "./cancel-run-button";
import { Markdown } from "./markdown";
import { RunCostPanel } from "./run-cost-panel";
import { RunEventList } from "./run-event-list";
import { RunModels } from "./run-models";
import { RunOutcome } from "./run-outcome";
import { formatStatus, RunStatusBadge } from "./run-status-badge";
import { RunTasksTable } from "./run-tasks-table";
import { TaskLanes } from "./task-lanes";
import { RelativeTime } from "./relative-time";

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
