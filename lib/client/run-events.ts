// A run's live events in the browser: the SSE hook and how each event reads to a person.
import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useEffect, useReducer, useState } from "react";
import type { ToolActivityPayload } from "@/lib/agents/tool-activity";
import { parseRunEvent } from "@/lib/runs/run-event-types";
import { runKeys } from "./query-client";
import type { RunDetailDto, RunEventDto, RunListDto } from "./runs";

// Live run events over SSE. Each event is appended (de-duplicated by id) and its `run`
// snapshot is written into the TanStack Query cache, so cost and status move without a refetch.
export type StreamStatus = "live" | "reconnecting";

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const FLUSH_MS = 50; // batches a backlog burst into one render
const DETAIL_REFRESH_MS = 1_500; // tasks and summary are not in the event; refetch once per burst

export type EventsState = { runId: string; events: RunEventDto[] };

export function useRunEvents(runId: string, options: { isEnabled: boolean }) {
  const queryClient = useQueryClient();
  const [state, appendEvents] = useReducer(mergeRunEvents, { runId, events: [] });
  const [streamStatus, setStreamStatus] = useState<StreamStatus>("reconnecting");
  const { isEnabled } = options;

  useEffect(() => {
    if (!isEnabled) return;
    let source: EventSource | null = null;
    let retryDelayMs = FIRST_RETRY_MS;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    let pending: RunEventDto[] = [];
    let lastAppliedId = 0;

    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      appendEvents({ runId, events: batch });
      for (const event of batch) {
        if (event.id <= lastAppliedId) continue;
        lastAppliedId = event.id;
        applyRunProgress(queryClient, event);
      }
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: runKeys.detail(runId) });
      }, DETAIL_REFRESH_MS);
    };

    const connect = () => {
      // Same-origin EventSource sends the session cookie, and on its own reconnects it
      // sends Last-Event-ID, so the server resumes where the stream dropped.
      source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
      source.onopen = () => {
        retryDelayMs = FIRST_RETRY_MS;
        setStreamStatus("live");
      };
      source.onerror = () => {
        setStreamStatus("reconnecting");
        if (source?.readyState !== EventSource.CLOSED) return; // the browser retries by itself
        // The browser gave up (an HTTP error such as 401 or 5xx). Retry with backoff; a fresh
        // connection replays the backlog, which the reducer de-duplicates. Refetching the run
        // lets a 401 reach the query cache, which sends the user to the login page.
        source.close();
        void queryClient.invalidateQueries({ queryKey: runKeys.detail(runId) });
        retryTimer = setTimeout(connect, retryDelayMs);
        retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_MS);
      };
      // The server sends `end` after the run's final event: nothing more will come, so stop
      // the browser from reconnecting.
      source.addEventListener("end", () => source?.close());
      source.addEventListener("run-event", (message) => {
        const event = parseStreamedEvent((message as MessageEvent<string>).data);
        if (!event || event.runId !== runId) return;
        pending.push(event);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      });
    };

    connect();
    return () => {
      source?.close();
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
      clearTimeout(refreshTimer);
    };
  }, [runId, isEnabled, queryClient]);

  const events = state.runId === runId ? state.events : [];
  return { events, streamStatus };
}

/** Merges a batch into the list: unique by id, ascending by id. */
export function mergeRunEvents(state: EventsState, batch: { runId: string; events: RunEventDto[] }): EventsState {
  const known = state.runId === batch.runId ? state.events : [];
  const seenIds = new Set(known.map((event) => event.id));
  const fresh = batch.events.filter((event) => {
    if (seenIds.has(event.id)) return false;
    seenIds.add(event.id);
    return true;
  });
  if (fresh.length === 0 && state.runId === batch.runId) return state;
  const events = [...known, ...fresh];
  const isSorted = events.every((event, index) => index === 0 || events[index - 1].id < event.id);
  return { runId: batch.runId, events: isSorted ? events : events.sort((a, b) => a.id - b.id) };
}

function applyRunProgress(queryClient: QueryClient, event: RunEventDto) {
  const progress = event.run;
  queryClient.setQueryData<RunDetailDto>(runKeys.detail(event.runId), (run) =>
    run ? { ...run, ...progress } : run,
  );
  queryClient.setQueriesData<InfiniteData<RunListDto>>({ queryKey: runKeys.lists() }, (data) => {
    if (!data) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        runs: page.runs.map((run) =>
          run.id === event.runId
            ? {
                ...run,
                status: progress.status,
                spentUsd: progress.spentUsd,
                reservedUsd: progress.reservedUsd,
                finishedAt: progress.finishedAt,
              }
            : run,
        ),
      })),
    };
  });
}

function parseStreamedEvent(data: string): RunEventDto | null {
  try {
    const value = JSON.parse(data) as RunEventDto;
    return typeof value?.id === "number" && value.run ? value : null;
  } catch {
    return null;
  }
}

// One short human line for a run event. Event types grow with the factory, so this reads the
// common payload fields rather than knowing every type.
const SUMMARY_MAX_CHARS = 160;
const PREFERRED_TEXT_FIELDS = ["message", "summary", "reason", "error", "detail", "description", "title"] as const;

export function describeRunEvent(event: { type: string; payload: unknown }): string {
  const payload = event.payload;
  const typed = parseRunEvent(event);
  if (typed?.type === "agent.tool") {
    const activity = typed.payload;
    return truncate(`${activity.taskKey ? `[${activity.taskKey}] ` : ""}${describeToolActivity(activity)}`);
  }
  if (typeof payload === "string") return truncate(payload);
  if (!isRecord(payload)) return "";
  const bestOfN = describeBestOfNEvent(event.type, payload);
  if (bestOfN) return truncate(bestOfN);

  const parts: string[] = [];
  const text = PREFERRED_TEXT_FIELDS.map((field) => payload[field]).find((value) => typeof value === "string" && value.trim());
  if (typeof text === "string") parts.push(text.trim());

  const task = payload.taskKey ?? payload.task;
  if (typeof task === "string" && !parts.some((part) => part.includes(task))) parts.unshift(`[${task}]`);
  if (typeof payload.role === "string") parts.push(typeof payload.model === "string" ? `${payload.role} on ${payload.model}` : payload.role);
  if (typeof payload.status === "string") parts.push(`status: ${payload.status.replace(/_/g, " ")}`);
  if (typeof payload.from === "string" && typeof payload.to === "string") parts.push(`${payload.from} → ${payload.to}`);
  if (typeof payload.iteration === "number") parts.push(`iteration ${payload.iteration}`);
  if (typeof payload.pullRequestNumber === "number") parts.push(`PR #${payload.pullRequestNumber}`);

  if (parts.length === 0) {
    // Fall back to the payload's simple fields, e.g. "model: glm-5.2, turns: 4".
    const scalars = Object.entries(payload)
      .filter(([, value]) => ["string", "number", "boolean"].includes(typeof value))
      .slice(0, 4)
      .map(([key, value]) => `${key}: ${String(value)}`);
    parts.push(...scalars);
  }
  return truncate(parts.join(" · "));
}

/** Best-of-N attempts and model escalations, in words: who won, why fewer ran, where a role moved up. */
function describeBestOfNEvent(type: string, payload: Record<string, unknown>): string | null {
  const task = typeof payload.taskKey === "string" ? `[${payload.taskKey}] ` : "";
  const usd = (value: unknown) => `$${(Number(value) || 0).toFixed(2)}`;
  if (type === "task.attempts.limited") {
    return `${task}${payload.running} of ${payload.requested} coder attempts run: ${usd(payload.remainingUsd)} left covers ${payload.running} at ~${usd(payload.estimatePerAttemptUsd)} each`;
  }
  if (type === "task.attempts" && Array.isArray(payload.attempts)) {
    const costs = payload.attempts.filter(isRecord).map((attempt) => `#${attempt.attempt} ${usd(attempt.costUsd)}${attempt.outcome === "won" ? " (won)" : ""}`);
    const outcome = typeof payload.winner === "number" ? `attempt ${payload.winner} of ${payload.ran} won` : `no attempt of ${payload.ran} finished`;
    return `${task}${outcome} · ${usd(payload.totalCostUsd)}: ${costs.join(", ")}`;
  }
  if (type === "model.escalated" && typeof payload.from === "string" && typeof payload.to === "string") {
    return `${task}${payload.role} escalated ${payload.from} → ${payload.to} at iteration ${payload.iteration} after ${usd(payload.taskCostUsd)}`;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function truncate(text: string) {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > SUMMARY_MAX_CHARS ? `${oneLine.slice(0, SUMMARY_MAX_CHARS - 1)}…` : oneLine;
}

// Reads `agent.tool` run events for the run page: the newest action per task and per session,
// and the one-line "now" description, e.g. "fixer · iteration 2 · ran `npm test` → exit 1 (3 failing)".
export type { ToolActivityPayload };

export type ToolActivity = ToolActivityPayload & { eventId: number; at: string };

const TOOL_ACTIVITY_EVENT = "agent.tool";

function readToolActivity(event: RunEventDto): ToolActivity | null {
  if (event.type !== TOOL_ACTIVITY_EVENT) return null;
  const payload = event.payload as Partial<ToolActivityPayload> | null;
  if (!payload || typeof payload.tool !== "string" || typeof payload.sessionId !== "string" || typeof payload.role !== "string") return null;
  return { ...(payload as ToolActivityPayload), eventId: event.id, at: event.createdAt };
}

/** The newest tool activity of each task (by key) and of each session (by id). */
export function latestToolActivity(events: RunEventDto[]) {
  const byTask = new Map<string, ToolActivity>();
  const bySession = new Map<string, ToolActivity>();
  for (const event of events) {
    const activity = readToolActivity(event);
    if (!activity) continue;
    if (activity.taskKey) byTask.set(activity.taskKey, activity);
    bySession.set(activity.sessionId, activity);
  }
  return { byTask, bySession };
}

const VERBS: Record<string, string> = {
  read_file: "read",
  write_file: "wrote",
  edit_file: "edited",
  list_files: "listed",
  search: "searched",
  run_command: "ran",
};

/** What the call did, without the role and iteration: "ran `npm test` → exit 1 (3 failing)". */
export function describeToolAction(activity: Pick<ToolActivityPayload, "tool" | "target" | "exitCode" | "failingTests" | "error" | "linesAdded" | "linesRemoved">) {
  const verb = VERBS[activity.tool] ?? activity.tool;
  const target = activity.target ? ` \`${activity.target}\`` : activity.tool === "list_files" ? " the workspace" : "";
  let outcome = "";
  if (activity.tool === "run_command" && activity.exitCode !== null) {
    outcome = ` → exit ${activity.exitCode}`;
    if (activity.failingTests !== null) outcome += ` (${activity.failingTests} failing)`;
  } else if (activity.error) {
    outcome = ` → error: ${activity.error}`;
  } else if (activity.linesAdded || activity.linesRemoved) {
    outcome = ` (+${activity.linesAdded} −${activity.linesRemoved})`;
  }
  if (activity.tool === "run_command" && activity.exitCode === null && activity.error) outcome = ` → error: ${activity.error}`;
  return `${verb}${target}${outcome}`;
}

/** The lane's "now" line: "fixer · iteration 2 · ran `npm test` → exit 1 (3 failing)". */
export function describeToolActivity(activity: ToolActivityPayload) {
  return `${activity.role} · iteration ${activity.iteration} · ${describeToolAction(activity)}`;
}
