// Usage -> USD, and the worst case a call could cost (what the budget guard reserves).
import type { LanguageModelUsage } from "ai";
import type { ModelPrice } from "./model-price";

/** Token counts of one call with cache reads and writes separated out of input. */
export type CallTokens = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };

/** Money is kept as strings with 10 decimals, the precision of the database columns. */
export function toUsdDecimalString(value: number, rounding: "round" | "ceil" = "round"): string {
  const scaled = value * 1e10;
  const integer = rounding === "ceil" ? Math.ceil(scaled - 1e-6) : Math.round(scaled);
  return (integer / 1e10).toFixed(10);
}

export function readCallTokens(usage: LanguageModelUsage | undefined): CallTokens {
  const cacheReadTokens = usage?.inputTokenDetails?.cacheReadTokens ?? 0;
  const cacheWriteTokens = usage?.inputTokenDetails?.cacheWriteTokens ?? 0;
  return {
    inputTokens: usage?.inputTokens ?? cacheReadTokens + cacheWriteTokens + (usage?.inputTokenDetails?.noCacheTokens ?? 0),
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
  };
}

/** inputTokens includes cache reads and writes (AI SDK convention); each part has its own price. */
export function computeCostUsd(tokens: CallTokens, price: ModelPrice): string {
  const freshInput = Math.max(0, tokens.inputTokens - tokens.cacheReadTokens - tokens.cacheWriteTokens);
  const micro =
    freshInput * price.input +
    tokens.cacheReadTokens * price.cacheRead +
    tokens.cacheWriteTokens * price.cacheWrite +
    tokens.outputTokens * price.output;
  return toUsdDecimalString(micro / 1e6);
}

/** Overhead for chat-template tokens the provider adds around messages and tools. */
const templateTokenAllowance = 512;

/**
 * Worst-case cost: every UTF-8 byte of the prompt counted as one token at the dearest input
 * rate (a cache write can cost more than fresh input), plus every allowed output token.
 */
export function computeWorstCaseUsd(options: { promptBytes: number; maxOutputTokens: number; price: ModelPrice }): string {
  const inputRate = Math.max(options.price.input, options.price.cacheRead, options.price.cacheWrite);
  const inputBound = options.promptBytes + templateTokenAllowance;
  return toUsdDecimalString((inputBound * inputRate + options.maxOutputTokens * options.price.output) / 1e6, "ceil");
}
