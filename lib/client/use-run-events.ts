"use client";
// Live run events over SSE. Each event is appended (de-duplicated by id) and its `run`
// snapshot is written into the TanStack Query cache, so cost and status move without a refetch.

import { useEffect, useReducer, useState } from "react";
import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { RunDetailDto, RunEventDto, RunListDto } from "./run-types";
import { runKeys } from "./query-keys";

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
