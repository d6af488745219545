// Limits for editing prices in Settings; violations are 400s naming the field.
import { z } from "zod";
import { providerNames } from "./model-ref";

/** $ per million tokens. The cap catches a price typed per thousand or per token by mistake. */
export const maxPricePerMTok = 1000;

const provider = z.enum(providerNames, { message: `must be one of ${providerNames.join(", ")}` });
const model = z
  .string({ message: "is required" })
  .trim()
  .min(1, { message: "must not be empty" })
  .max(200, { message: "must be at most 200 characters" })
  .regex(/^\S+$/, { message: "must not contain whitespace" });
const price = z
  .number({ message: "must be a number of US dollars per million tokens" })
  .min(0, { message: "must not be negative" })
  .max(maxPricePerMTok, { message: `must be at most ${maxPricePerMTok} $/MTok` });

/** Names one price row: DELETE /api/model-prices?provider=&model=. */
export const modelPriceKey = z.object({ provider, model });

/** The body of PUT /api/model-prices. */
export const setModelPriceInput = modelPriceKey.extend({ input: price, output: price, cacheRead: price, cacheWrite: price }).strict();

export type ModelPriceKey = z.infer<typeof modelPriceKey>;
export type SetModelPriceInput = z.infer<typeof setModelPriceInput>;
