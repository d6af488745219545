// The runs list's filters, kept in the URL (?status=&repo=&q=) so a filtered view can be shared
// and survives a reload. The API validates them again (lib/runs/list-runs.ts).
import type { RunStatus } from "./run-types";

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
