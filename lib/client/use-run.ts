"use client";

import { useQuery } from "@tanstack/react-query";
import type { RunDetailDto } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";
import { isActiveRunStatus } from "../runs/run-status";

// The event stream patches progress live; this slow poll only refreshes what events do not
// carry (tasks, summary) and covers a stream that cannot connect.
const ACTIVE_RUN_POLL_MS = 15_000;

export function useRun(id: string) {
  return useQuery({
    queryKey: runKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<RunDetailDto>(`/api/runs/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => {
      const run = query.state.data;
      return run && isActiveRunStatus(run.status) ? ACTIVE_RUN_POLL_MS : false;
    },
  });
}
