import type { RunEventDto } from "../../lib/client/run-types";
import type { StreamStatus } from "../../lib/client/use-run-events";
import { describeRunEvent } from "../../lib/client/describe-run-event";
import { formatClockTime, formatDateTime, formatUsdDelta } from "../../lib/client/format";
import { Card, CardHeader } from "../ui/card";
import { StreamStatusIndicator } from "./stream-status";

/** The run's progress log, newest first, as it streams in. */
export function RunEventList({ events, streamStatus }: { events: RunEventDto[]; streamStatus: StreamStatus }) {
  const newestFirst = [...events].reverse();
  return (
    <Card aria-labelledby="run-events-heading">
      <CardHeader
        id="run-events-heading"
        title={
          <>
            Events <span className="font-normal text-slate-500 tabular-nums">({events.length})</span>
          </>
        }
        actions={<StreamStatusIndicator status={streamStatus} />}
      />
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
