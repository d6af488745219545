// "provider:model" references, the one way models are named in env, runs and prices, and the
// agent roles that each run with one. Browser-safe.
import { AppError } from "@/lib/errors";
import { AgentRole } from "@/lib/generated/prisma/enums";

/** The agent roles, in the order a task meets them; the Prisma enum is their one source. */
export const agentRoles = Object.values(AgentRole);
export type AgentRoleName = AgentRole;

export const providerNames = ["openai", "anthropic", "openai-compatible"] as const;
export type ProviderName = (typeof providerNames)[number];

export type ModelRef = { provider: ProviderName; model: string; ref: string };

/** What a valid reference looks like, for messages at every edge that accepts one. */
export const modelRefFormat = `"provider:model" with provider ${providerNames.slice(0, -1).join(", ")} or ${providerNames.at(-1)}`;
export const modelRefExample = "openai-compatible:glm-5.2";

/** True when parseModelRef accepts the reference: the one rule for env, the API and the forms. */
export function isModelRef(ref: string): boolean {
  try {
    parseModelRef(ref);
    return true;
  } catch {
    return false;
  }
}

/** Parses "openai-compatible:glm-5.2"; the model part may itself contain ":" (e.g. Ollama tags). */
export function parseModelRef(ref: string): ModelRef {
  const trimmed = ref.trim();
  const separator = trimmed.indexOf(":");
  const provider = trimmed.slice(0, separator);
  const model = trimmed.slice(separator + 1);
  if (separator <= 0 || !model || /\s/.test(model) || !(providerNames as readonly string[]).includes(provider)) {
    throw new AppError(
      "bad_request",
      `Invalid model "${ref}": expected ${modelRefFormat}, e.g. "${modelRefExample}".`,
    );
  }
  return { provider: provider as ProviderName, model, ref: `${provider}:${model}` };
}
