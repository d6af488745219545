import type { RunStatus, TaskStatus } from "../../lib/client/run-types";
import { Badge, type BadgeTone } from "../ui/badge";

const STATUS_TONES: Record<RunStatus | TaskStatus, BadgeTone> = {
  queued: "neutral",
  pending: "neutral",
  planning: "info",
  running: "progress",
  succeeded: "success",
  failed: "danger",
  cancelled: "neutral",
  skipped: "neutral",
  budget_exhausted: "warning",
};

const ACTIVE = new Set<string>(["planning", "running"]);

export function formatStatus(status: RunStatus | TaskStatus) {
  return status === "budget_exhausted" ? "budget exhausted" : status;
}

export function RunStatusBadge({ status, testId }: { status: RunStatus | TaskStatus; testId?: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? "neutral"} hasPulse={ACTIVE.has(status)} data-testid={testId} data-status={status}>
      {formatStatus(status)}
    </Badge>
  );
}
