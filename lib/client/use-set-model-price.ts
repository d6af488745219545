"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api-fetch";
import type { ModelPriceDto, SetModelPriceInput } from "./model-price-types";
import { modelPriceKeys } from "./query-keys";

export function useSetModelPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetModelPriceInput) => apiFetch<ModelPriceDto>("/api/model-prices", { method: "PUT", json: input }),
    // Role prices change with the row, so refetch both together.
    onSettled: () => queryClient.invalidateQueries({ queryKey: modelPriceKeys.all }),
  });
}
