"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CreateRunResponseDto } from "./run-types";
import { apiFetch } from "./api-fetch";
import { runKeys } from "./query-keys";
import type { CreateRunInput } from "../runs/create-run-input";

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
