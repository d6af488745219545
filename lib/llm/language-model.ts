// From a role to a model: which model ref a role uses, and the AI SDK provider behind it.
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { getEnv, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseModelRef, type AgentRoleName, type ModelRef } from "./model-ref";

// Which model a role uses: the run's override, then FACTORY_MODEL_<ROLE>, then FACTORY_MODEL.
// A role may name several models, in order (a list in the run, comma-separated in the env):
// the coder's best-of-N attempts take them in turn, and every other role climbs them as an
// escalation ladder when iterations do not converge.

/** A run's models for one role: one "provider:model", or an ordered list of them. */
export type RoleModels = string | string[];

/** The role's models in order (at least one); throws when nothing configures the role. */
export function resolveModelLadder(options: { role: AgentRoleName; runModels?: unknown; env?: Env }): ModelRef[] {
  const env = options.env ?? getEnv();
  const runModels = (options.runModels ?? {}) as Record<string, unknown>;
  const fromRun = readRoleModels(runModels[options.role]);
  const roleVariable = `FACTORY_MODEL_${options.role.toUpperCase()}` as keyof Env;
  const fromEnv = typeof env[roleVariable] === "string" ? (env[roleVariable] as string).split(",").map((part) => part.trim()).filter(Boolean) : [];
  const refs = fromRun.length ? fromRun : fromEnv.length ? fromEnv : env.FACTORY_MODEL ? [env.FACTORY_MODEL] : [];
  if (refs.length === 0) {
    throw new AppError(
      "bad_request",
      `No model configured for the ${options.role} role: set FACTORY_MODEL (or ${roleVariable}) to "provider:model", e.g. "openai-compatible:glm-5.2".`,
    );
  }
  return refs.map(parseModelRef);
}

/** The role's first model: what it starts on. */
export function resolveModelForRole(options: { role: AgentRoleName; runModels?: unknown; env?: Env }): ModelRef {
  return resolveModelLadder(options)[0];
}

/**
 * The model of one session. Best-of-N coder attempt `attempt` (1-based) takes the list's
 * models in turn, cycling. Every other session climbs the ladder: after `escalateAfter`
 * iterations that ended without converging it moves one model up, and stays on the last.
 */
export function pickSessionModel(options: { ladder: ModelRef[]; attempt?: number | null; iterationsWithoutConverging?: number; escalateAfter: number }): {
  model: ModelRef;
  rung: number;
} {
  const { ladder } = options;
  if (options.attempt) return { model: ladder[(options.attempt - 1) % ladder.length], rung: (options.attempt - 1) % ladder.length };
  const rung = Math.min(ladder.length - 1, Math.floor((options.iterationsWithoutConverging ?? 0) / Math.max(1, options.escalateAfter)));
  return { model: ladder[rung], rung };
}

function readRoleModels(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

// Builds an AI SDK model for a "provider:model" ref from the env's keys and base URLs.
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
