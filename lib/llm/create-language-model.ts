// Builds an AI SDK model for a "provider:model" ref from the env's keys and base URLs.
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { parseModelRef, type ModelRef } from "./model-ref";

/**
 * Passed explicitly: without a baseURL the SDKs read OPENAI_BASE_URL / ANTHROPIC_BASE_URL from
 * process.env themselves, and an empty value there (common in .env files, and unset for
 * lib/env.ts) makes them throw.
 */
const defaultBaseUrls = { openai: "https://api.openai.com/v1", anthropic: "https://api.anthropic.com/v1" };

/** Throws AppError naming the variable to set when the provider is not configured. */
export function createLanguageModel(ref: string | ModelRef, env: Env = getEnv()): LanguageModel {
  const { provider, model } = typeof ref === "string" ? parseModelRef(ref) : ref;
  switch (provider) {
    case "openai":
      if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) throw missing("OPENAI_API_KEY", "an OpenAI API key (and optionally OPENAI_BASE_URL)");
      return createOpenAI({ apiKey: env.OPENAI_API_KEY ?? "unused", baseURL: env.OPENAI_BASE_URL ?? defaultBaseUrls.openai })(model);
    case "anthropic":
      if (!env.ANTHROPIC_API_KEY && !env.ANTHROPIC_BASE_URL) throw missing("ANTHROPIC_API_KEY", "an Anthropic API key (and optionally ANTHROPIC_BASE_URL)");
      return createAnthropic({ apiKey: env.ANTHROPIC_API_KEY ?? "unused", baseURL: env.ANTHROPIC_BASE_URL ?? defaultBaseUrls.anthropic })(model);
    case "openai-compatible":
      if (!env.OPENAI_COMPATIBLE_BASE_URL) {
        throw missing("OPENAI_COMPATIBLE_BASE_URL", "the server's OpenAI-compatible base URL, e.g. https://api.z.ai/api/paas/v4 (plus OPENAI_COMPATIBLE_API_KEY)");
      }
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: env.OPENAI_COMPATIBLE_BASE_URL,
        apiKey: env.OPENAI_COMPATIBLE_API_KEY,
        // Without it, streaming responses carry no usage and calls could not be priced.
        includeUsage: true,
      }).chatModel(model);
  }
}

function missing(variable: string, what: string): AppError {
  return new AppError("bad_request", `${variable} is not set: set it to ${what}.`);
}
