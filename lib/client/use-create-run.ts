"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CreateRunResponseDto } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";

/** The body of POST /api/runs. */
export type CreateRunInput = {
  repo: string;
  title: string;
  spec: string;
  budgetUsd: number;
  maxIterations: number;
  /** This run's own commands; left out uses the repository profile, "" runs no such step. */
  setupCommand?: string;
  testCommand?: string;
};

export function useCreateRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateRunInput) =>
      apiFetch<CreateRunResponseDto>("/api/runs", { method: "POST", json: input }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.lists() }),
  });
}
