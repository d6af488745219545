"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { RunListDto } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";

const RUNS_PAGE_SIZE = 20;
const RUNS_POLL_MS = 5_000;

/** Runs, newest first, a page at a time. Polls so statuses and cost move without reload. */
export function useRuns() {
  return useInfiniteQuery({
    queryKey: runKeys.list({ limit: RUNS_PAGE_SIZE }),
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(RUNS_PAGE_SIZE) });
      if (pageParam) search.set("cursor", pageParam);
      return apiFetch<RunListDto>(`/api/runs?${search}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    refetchInterval: RUNS_POLL_MS,
  });
}
