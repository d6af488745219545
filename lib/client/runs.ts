// Runs in the browser: API shapes, list filters, and the query and mutation hooks.
import { useInfiniteQuery, useQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { CreateRunInput } from "@/lib/runs/create-run-input";
import type { RunSummaryDto, TaskDto, CreateRunResponseDto, RunDetailDto, RunListDto } from "@/lib/runs/run-dto";
import { isActiveRunStatus } from "@/lib/runs/run-status";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-client";

// Type-only re-exports of the API's JSON shapes, so client code has one place to import them
// from and never pulls server modules into the browser bundle.
export type {
  CreateRunResponseDto,
  RunDetailDto,
  RunEventDto,
  RunListDto,
  RunProgressDto,
  RunSummaryDto,
  TaskDto,
  TaskIterationPointDto,
  TaskSessionDto,
} from "@/lib/runs/run-dto";

export type RunStatus = RunSummaryDto["status"];
export type TaskStatus = TaskDto["status"];

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

/** The body of POST /api/runs, from the route's own schema. */
export type { CreateRunInput };

export function useCreateRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateRunInput) =>
      apiFetch<CreateRunResponseDto>("/api/runs", { method: "POST", json: input }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.lists() }),
  });
}

export function useCancelRun(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ id: string; status: RunStatus }>(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST" }),
    onSuccess: ({ status }) => {
      queryClient.setQueryData<RunDetailDto>(runKeys.detail(runId), (run) => (run ? { ...run, status } : run));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.all }),
  });
}

type TaskRetryDto = { runId: string; taskId: string; taskKey: string; status: "pending"; runStatus: "running"; remainingUsd: string };

/** Asks the factory to work a failed task again (POST /api/runs/:id/tasks/:key/retry). */
export function useRetryTask(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (taskKey: string) =>
      apiFetch<TaskRetryDto>(`/api/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskKey)}/retry`, { method: "POST" }),
    onSuccess: ({ taskKey, status, runStatus }) => {
      // Show the run working again at once; the event stream and refetch bring the rest.
      queryClient.setQueryData<RunDetailDto>(runKeys.detail(runId), (run) =>
        run ? { ...run, status: runStatus, tasks: run.tasks.map((task) => (task.key === taskKey ? { ...task, status } : task)) } : run,
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.all }),
  });
}

// The runs list's filters, kept in the URL (?status=&repo=&q=) so a filtered view can be shared
// and survives a reload. The API validates them again (lib/runs/read-runs.ts).
export type RunFilters = { status: RunStatus | null; repo: string; q: string };

export const RUN_STATUS_OPTIONS: readonly RunStatus[] = ["queued", "planning", "running", "succeeded", "failed", "cancelled", "budget_exhausted"];

const REPO_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function readRunFilters(params: URLSearchParams): RunFilters {
  const status = params.get("status");
  return {
    status: RUN_STATUS_OPTIONS.includes(status as RunStatus) ? (status as RunStatus) : null,
    repo: params.get("repo") ?? "",
    q: params.get("q") ?? "",
  };
}

export const isValidRepoFilter = (repo: string) => repo === "" || REPO_PATTERN.test(repo.trim());

/** The filters as API/URL search params; empty and invalid values are left out. */
export function toRunFilterParams(filters: RunFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.repo.trim() && isValidRepoFilter(filters.repo)) params.set("repo", filters.repo.trim());
  if (filters.q.trim()) params.set("q", filters.q.trim().slice(0, 200));
  return params;
}

export const hasRunFilters = (filters: RunFilters) => toRunFilterParams(filters).size > 0;
