"use client";
// Keeps a server-rendered task page current while its run is active: the live "now" line from
// the SSE stream, and a refresh of the page's data (and tab title) when the run's events arrive.
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef } from "react";
import { describeToolActivity, latestToolActivity, useRunEvents } from "@/lib/client/run-events";
import type { RunStatus } from "@/lib/client/runs";
import { isActiveRunStatus } from "@/lib/runs/run-status";
import { StreamStatusIndicator } from "@/components/runs/run-status";

const REFRESH_MIN_INTERVAL_MS = 1_500;

export function TaskLive(props: { runId: string; taskKey: string; runStatus: RunStatus }) {
  const isActive = isActiveRunStatus(props.runStatus);
  const { events, streamStatus } = useRunEvents(props.runId, { isEnabled: isActive });
  const router = useRouter();
  const lastRefreshAt = useRef(0);
  const now = useMemo(() => latestToolActivity(events).byTask.get(props.taskKey), [events, props.taskKey]);

  // Re-render the server component (new sessions, reviews, iterations) at most every 1.5 s.
  const newestEventId = events.at(-1)?.id ?? 0;
  useEffect(() => {
    if (!isActive || newestEventId === 0) return;
    const wait = Math.max(0, lastRefreshAt.current + REFRESH_MIN_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      lastRefreshAt.current = Date.now();
      router.refresh();
    }, wait);
    return () => clearTimeout(timer);
  }, [newestEventId, isActive, router]);

  if (!isActive) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 shadow-sm">
      <StreamStatusIndicator status={streamStatus} />
      <p data-testid="task-now" aria-live="polite" className="min-w-0 flex-1 truncate font-mono text-xs text-slate-700">
        <span className="mr-1 font-sans font-semibold text-slate-500">now</span>
        {now ? describeToolActivity(now) : "waiting for the next agent action"}
      </p>
    </div>
  );
}
