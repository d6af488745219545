"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { RunListDto } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";
import { toRunFilterParams, type RunFilters } from "./run-filters";

const RUNS_PAGE_SIZE = 20;
const RUNS_POLL_MS = 5_000;

const NO_FILTERS: RunFilters = { status: null, repo: "", q: "" };

/** Runs, newest first, filtered, a page at a time (API cursors). Polls so statuses and cost move. */
export function useRuns(filters: RunFilters = NO_FILTERS) {
  const filterParams = Object.fromEntries(toRunFilterParams(filters));
  return useInfiniteQuery({
    queryKey: runKeys.list({ limit: RUNS_PAGE_SIZE, ...filterParams }),
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(RUNS_PAGE_SIZE), ...filterParams });
      if (pageParam) search.set("cursor", pageParam);
      return apiFetch<RunListDto>(`/api/runs?${search}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    refetchInterval: RUNS_POLL_MS,
    placeholderData: (previous) => previous,
  });
}
