import type { StreamStatus } from "../../lib/client/use-run-events";
import { cx } from "../../lib/client/cx";

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
