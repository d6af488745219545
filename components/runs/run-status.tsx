"use client";
// How a run or task is doing at a glance: its status badge, whether its event stream is live,
// and how long ago something happened.

import type { RunStatus, TaskStatus } from "@/lib/client/runs";
import { cx, formatAge, formatDateTime } from "@/lib/client/format";
import { useNow } from "@/lib/client/browser-hooks";
import type { StreamStatus } from "@/lib/client/run-events";
import { Badge, type BadgeTone } from "@/components/ui/badge";

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

export function StreamStatusIndicator({ status }: { status: StreamStatus }) {
  const isLive = status === "live";
  return (
    <span
      className={cx("inline-flex items-center gap-1.5 text-xs font-medium", isLive ? "text-emerald-700" : "text-amber-700")}
      title={isLive ? "Receiving events as they happen" : "Connection lost; reconnecting without losing events"}
    >
      <span aria-hidden className={cx("size-2 rounded-full", isLive ? "animate-pulse bg-emerald-500" : "bg-amber-500")} />
      <span data-testid="stream-status" role="status">
        {status}
      </span>
    </span>
  );
}

/** "3m ago", kept fresh, with the exact time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {formatAge(iso, now)}
    </time>
  );
}
