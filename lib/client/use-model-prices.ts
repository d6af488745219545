"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "./api-fetch";
import type { ModelPricesDto } from "./model-price-types";
import { modelPriceKeys } from "./query-keys";

/** Price rows and each role's configured model, for Settings. */
export function useModelPrices() {
  return useQuery({
    queryKey: modelPriceKeys.all,
    queryFn: ({ signal }) => apiFetch<ModelPricesDto>("/api/model-prices", { signal }),
  });
}
