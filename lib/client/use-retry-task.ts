"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RunDetailDto } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";

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
