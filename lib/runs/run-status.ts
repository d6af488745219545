// Which run statuses still work and which are final: the one list every layer (SQL guards,
// routes, the browser) reads. Browser-safe: it imports only the Prisma enum.
import { RunStatus } from "@/lib/generated/prisma/enums";

/** A run in one of these statuses still spends and may still change; every other status is final. */
export const activeRunStatuses = [RunStatus.queued, RunStatus.planning, RunStatus.running] as const;
export type ActiveRunStatus = (typeof activeRunStatuses)[number];
export type FinalRunStatus = Exclude<RunStatus, ActiveRunStatus>;

export function isActiveRunStatus(status: RunStatus): status is ActiveRunStatus {
  return (activeRunStatuses as readonly RunStatus[]).includes(status);
}
