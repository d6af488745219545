"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RunDetailDto, RunStatus } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";

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
