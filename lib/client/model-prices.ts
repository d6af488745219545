// Model prices in the browser: API shapes, the Settings form parser, and the hooks.
import { useQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import type { ModelPriceDto, ModelPricesDto, ResetModelPriceResult, SetModelPriceInput } from "@/lib/llm/model-price-contract";
import { apiFetch } from "./api-fetch";
import { modelPriceKeys } from "./query-client";

// Type-only re-exports of /api/model-prices shapes for client code.
export type { ModelPriceDto, ModelPricesDto, PriceSource, ResetModelPriceResult, RoleModelDto, SetModelPriceInput } from "@/lib/llm/model-price-contract";

/** Price rows and each role's configured model, for Settings. */
export function useModelPrices() {
  return useQuery({
    queryKey: modelPriceKeys.all,
    queryFn: ({ signal }) => apiFetch<ModelPricesDto>("/api/model-prices", { signal }),
  });
}

export function useSetModelPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetModelPriceInput) => apiFetch<ModelPriceDto>("/api/model-prices", { method: "PUT", json: input }),
    // Role prices change with the row, so refetch both together.
    onSettled: () => queryClient.invalidateQueries({ queryKey: modelPriceKeys.all }),
  });
}

export function useResetModelPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ provider, model }: { provider: string; model: string }) =>
      apiFetch<ResetModelPriceResult>(`/api/model-prices?${new URLSearchParams({ provider, model })}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: modelPriceKeys.all }),
  });
}

// The four price fields of the Settings forms, checked here for fast feedback. The server's
// 400 field errors stay authoritative and show in the same places.
export const priceFieldNames = ["input", "output", "cacheRead", "cacheWrite"] as const;
export type PriceFieldName = (typeof priceFieldNames)[number];
export type PriceFormValues = Record<PriceFieldName, string>;
export type PriceFieldErrors = Partial<Record<PriceFieldName, string>>;
export type PriceNumbers = Record<PriceFieldName, number>;

const price = z
  .number({ error: "Enter $ per million tokens." })
  .min(0, "Must not be negative.")
  .max(1000, "At most $1,000 per million tokens.");
const priceSchema = z.object({ input: price, output: price, cacheRead: price, cacheWrite: price });

export function parsePriceForm(values: PriceFormValues): { prices: PriceNumbers } | { errors: PriceFieldErrors } {
  const parsed = priceSchema.safeParse(Object.fromEntries(priceFieldNames.map((name) => [name, toNumber(values[name])])));
  if (parsed.success) return { prices: parsed.data };
  const errors: PriceFieldErrors = {};
  for (const issue of parsed.error.issues) errors[issue.path[0] as PriceFieldName] ??= issue.message;
  return { errors };
}

/** Server field errors that belong to a price field. */
export function pickPriceFieldErrors(fields: { field: string; message: string }[]): PriceFieldErrors {
  const errors: PriceFieldErrors = {};
  for (const { field, message } of fields) {
    if ((priceFieldNames as readonly string[]).includes(field)) errors[field as PriceFieldName] ??= message;
  }
  return errors;
}

function toNumber(value: string): number | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}
