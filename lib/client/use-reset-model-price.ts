"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api-fetch";
import type { ResetModelPriceResult } from "./model-price-types";
import { modelPriceKeys } from "./query-keys";

export function useResetModelPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ provider, model }: { provider: string; model: string }) =>
      apiFetch<ResetModelPriceResult>(`/api/model-prices?${new URLSearchParams({ provider, model })}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: modelPriceKeys.all }),
  });
}
