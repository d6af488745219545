// The four price fields of the Settings forms, checked here for fast feedback. The server's
// 400 field errors stay authoritative and show in the same places.
import { z } from "zod";

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
