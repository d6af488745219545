"use client";

import Link from "next/link";
import type { TaskDto } from "@/lib/client/runs";
import { formatUsd } from "@/lib/client/format";
import { useRetryTask, useRun } from "@/lib/client/runs";
import { isRetryableRunStatus, isRetryableTaskStatus } from "@/lib/runs/run-status";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, DataTable } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { RunStatusBadge } from "./run-status";

const TASK_COLUMNS = ["Key", "Title", "Status", { label: "Iteration", className: "text-right" }, { label: "Cost", className: "text-right" }, "Pull request"];

export function RunTasksTable({ runId, tasks, maxIterations }: { runId: string; tasks: TaskDto[]; maxIterations: number }) {
  return (
    <Card aria-labelledby="run-tasks-heading">
      <CardHeader id="run-tasks-heading" title="Tasks" count={tasks.length} />
      <div data-testid="tasks-table">
        {tasks.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-500">Planning has not produced tasks yet</p>
        ) : (
          <DataTable columns={TASK_COLUMNS}>
            {tasks.map((task) => (
              <tr key={task.key} data-testid={`task-row-${task.key}`}>
                <td className="px-4 py-2 font-mono text-xs">
                  <Link href={`/runs/${runId}/tasks/${encodeURIComponent(task.key)}`} className="text-accent-700 hover:underline">
                    {task.key}
                  </Link>
                </td>
                <td className="px-4 py-2 text-slate-900">
                  {task.title}
                  {task.branch && <span className="block font-mono text-xs text-slate-500">{task.branch}</span>}
                </td>
                <td className="px-4 py-2">
                  <span className="flex flex-wrap items-center gap-2">
                    <RunStatusBadge status={task.status} />
                    {isRetryableTaskStatus(task.status) && <RetryTaskButton runId={runId} taskKey={task.key} />}
                  </span>
                </td>
                <td className="px-4 py-2 text-right tabular-nums text-slate-700">
                  {task.iteration} / {maxIterations}
                </td>
                <td className="px-4 py-2 text-right font-mono text-xs tabular-nums text-slate-900">{formatUsd(task.costUsd)}</td>
                <td className="px-4 py-2">
                  {task.pullRequest ? (
                    <a href={task.pullRequest.url} target="_blank" rel="noopener noreferrer" className="font-medium text-accent-700 hover:underline">
                      #{task.pullRequest.number}
                      <span className="ml-1 text-xs font-normal text-slate-500">{task.pullRequest.state}</span>
                    </a>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
    </Card>
  );
}

/** Offered for a failed task once its run has ended; the server re-checks and says why not (toast). */
function RetryTaskButton({ runId, taskKey }: { runId: string; taskKey: string }) {
  const runStatus = useRun(runId).data?.status;
  const retryTask = useRetryTask(runId);
  const showToast = useToast();
  if (!runStatus || !isRetryableRunStatus(runStatus)) return null;

  const handleClick = () =>
    retryTask.mutate(taskKey, {
      onSuccess: () => showToast({ tone: "success", message: `Task ${taskKey} is being retried.` }),
      onError: (error) => showToast({ tone: "error", title: `Could not retry task ${taskKey}`, message: error.message }),
    });

  return (
    <Button variant="secondary" size="sm" aria-label={`Retry task ${taskKey}`} data-testid={`retry-task-${taskKey}`} onClick={handleClick} disabled={retryTask.isPending}>
      {retryTask.isPending ? "Retrying…" : "Retry"}
    </Button>
  );
}
