// Status rules every layer shares: active run statuses and which tasks may be retried.
import { RunStatus, TaskStatus } from "@/lib/generated/prisma/enums";

// Which run statuses still work and which are final: the one list every layer (SQL guards,
// routes, the browser) reads. Browser-safe: it imports only the Prisma enum.
/** A run in one of these statuses still spends and may still change; every other status is final. */
export const activeRunStatuses = [RunStatus.queued, RunStatus.planning, RunStatus.running] as const;
export type ActiveRunStatus = (typeof activeRunStatuses)[number];
export type FinalRunStatus = Exclude<RunStatus, ActiveRunStatus>;

export function isActiveRunStatus(status: RunStatus): status is ActiveRunStatus {
  return (activeRunStatuses as readonly RunStatus[]).includes(status);
}

// When a task may be retried: the one rule the API (lib/tasks/retry-task.ts) enforces and the
// run page reads to offer its Retry button. Browser-safe: Prisma enums only.
/** A task in one of these statuses can be worked again. */
export const retryableTaskStatuses = [TaskStatus.failed, TaskStatus.budget_exhausted] as const;

/**
 * The run must have ended (a run with a failed task cannot have succeeded; a cancelled one was
 * stopped on purpose). A run still running is refused: its run-spec concludes it when its
 * waves end, which would stop the retry half-way.
 */
export const retryableRunStatuses = [RunStatus.failed, RunStatus.budget_exhausted] as const;

export function isRetryableTaskStatus(status: TaskStatus): boolean {
  return (retryableTaskStatuses as readonly TaskStatus[]).includes(status);
}

export function isRetryableRunStatus(status: RunStatus): boolean {
  return (retryableRunStatuses as readonly RunStatus[]).includes(status);
}
