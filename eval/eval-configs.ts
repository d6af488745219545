// Model configurations for `npm run eval`, defined in eval/configs.json: which model each role
// uses (a list is an escalation ladder), coder attempts (best-of-N), budget and iterations.
// Every problem — unknown names, malformed or unpriced models, missing keys — is found before
// any work starts, and reported together.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseEnv, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createLanguageModel } from "@/lib/llm/language-model";
import { listPrices } from "@/lib/llm/model-price-contract";
import { agentRoles, isModelRef, modelRefExample, modelRefFormat, parseModelRef } from "@/lib/llm/model-ref";
import type { AgentRoleName } from "@/lib/llm/model-ref";
import { maxCoderAttempts } from "@/lib/repositories/repository-profile-schema";

export const configsFile = path.join(import.meta.dirname, "configs.json");

export { agentRoles };

const modelRef = z.string().refine(isModelRef, { message: `must be ${modelRefFormat}, e.g. "${modelRefExample}"` });

/** One model, or an ordered ladder the role escalates along. */
const modelLadder = z.union([modelRef, z.array(modelRef).min(1).max(4)]);

const price = z.object({ input: z.number().min(0), output: z.number().min(0), cacheRead: z.number().min(0).optional(), cacheWrite: z.number().min(0).optional() }).strict();

/** Provider variables a configuration may set for its own runs; "$NAME" reads NAME from the environment. */
const providerVariables = ["OPENAI_BASE_URL", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_API_KEY"] as const;

const evalConfig = z
  .object({
    description: z.string().min(1),
    /** `default` serves every role not named. */
    models: z.object({ default: modelLadder.optional(), ...Object.fromEntries(agentRoles.map((role) => [role, modelLadder.optional()])) }).strict(),
    /** Coder attempts per task (best-of-N, chosen by the tests). */
    attempts: z.number().int().min(1).max(maxCoderAttempts).default(1),
    /** Iterations without converging before a role moves to the next model of its ladder. */
    escalateAfterIterations: z.number().int().min(1).max(20).optional(),
    budgetUsd: z.number().gt(0).max(10_000).default(5),
    maxIterations: z.number().int().min(1).max(20).default(3),
    /** $ per million tokens for models the list prices do not know (e.g. 0 for your own vLLM). */
    prices: z.record(modelRef, price).default({}),
    env: z.partialRecord(z.enum(providerVariables), z.string()).default({}),
    /** Played by the scripted model server with each task's reference solution (no keys, offline). */
    scripted: z.boolean().default(false),
  })
  .strict();

export type EvalConfig = z.infer<typeof evalConfig> & {
  name: string;
  /** Each role's ladder, `default` applied. */
  roleModels: Record<AgentRoleName, string[]>;
};

export type PriceTable = Record<string, z.infer<typeof price>>;

export function loadEvalConfigs(file = configsFile): Map<string, EvalConfig> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new AppError("bad_request", `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const configs = new Map<string, EvalConfig>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const parsed = evalConfig.safeParse(value);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `${name}.${issue.path.join(".")}: ${issue.message}`));
      continue;
    }
    const roleModels = Object.fromEntries(
      agentRoles.map((role) => {
        const models = parsed.data.models as Partial<Record<AgentRoleName | "default", string | string[]>>;
        const ladder = models[role] ?? models.default;
        return [role, ladder === undefined ? [] : Array.isArray(ladder) ? ladder : [ladder]];
      }),
    ) as Record<AgentRoleName, string[]>;
    const unassigned = agentRoles.filter((role) => roleModels[role].length === 0);
    if (unassigned.length) problems.push(`${name}.models: no model for ${unassigned.join(", ")}; set "default" or name each role`);
    configs.set(name, { ...parsed.data, name, roleModels });
  }
  if (problems.length) throw new AppError("bad_request", `${path.basename(file)} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return configs;
}

/** The environment a configuration's runs see: the caller's, plus the config's provider variables. */
export function configEnvironment(config: EvalConfig, source: Record<string, string | undefined> = process.env): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, value] of Object.entries(config.env)) {
    if (value === undefined) continue;
    if (!value.startsWith("$")) values[name] = value;
    else if (source[value.slice(1)]) values[name] = source[value.slice(1)]!;
    else missing.push(`${value.slice(1)} is not set (the "${config.name}" config reads ${name} from it)`);
  }
  return { values, missing };
}

function knowsPrice(ref: string, prices: PriceTable): boolean {
  const { provider, model } = parseModelRef(ref);
  return [model, model.replace(/-\d{8}$/, "")].some((candidate) => `${provider}:${candidate}` in prices);
}

/**
 * The named configurations, or an AppError listing every problem: unknown names, models with
 * no known price, and providers whose keys or base URLs are missing.
 */
export function resolveEvalConfigsOrThrow(options: { names: string[]; configs: Map<string, EvalConfig>; source?: Record<string, string | undefined> }): EvalConfig[] {
  const source = options.source ?? process.env;
  if (!options.names.length) {
    throw new AppError("bad_request", `Name at least one configuration with --config. Known configurations: ${[...options.configs.keys()].join(", ")}.`);
  }
  const unknown = options.names.filter((name) => !options.configs.has(name));
  if (unknown.length) {
    throw new AppError("bad_request", `Unknown configuration${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}. Known configurations (eval/configs.json): ${[...options.configs.keys()].join(", ")}.`);
  }
  const baseEnv = parseEnv(source);
  const selected = [...new Set(options.names)].map((name) => options.configs.get(name)!);
  const problems: string[] = [];
  for (const config of selected) {
    const prices: PriceTable = { ...Object.fromEntries(listPrices.map(({ ref, ...p }) => [ref, p])), ...baseEnv.FACTORY_MODEL_PRICES, ...config.prices };
    const models = [...new Set(Object.values(config.roleModels).flat())];
    for (const ref of models.filter((model) => !knowsPrice(model, prices))) {
      problems.push(
        `${config.name}: no price is known for "${ref}", so its spending cannot be bounded. Add it to the config's "prices" or to ` +
          `FACTORY_MODEL_PRICES, e.g. '{"${ref}": {"input": 1.4, "output": 4, "cacheRead": 0.14, "cacheWrite": 0}}' ($ per million tokens).`,
      );
    }
    if (config.scripted) continue; // the eval starts the scripted model server itself
    const { values, missing } = configEnvironment(config, source);
    problems.push(...missing.map((message) => `${config.name}: ${message}`));
    const env: Env = { ...baseEnv, ...values };
    const providerProblems = new Set<string>();
    for (const ref of models) {
      try {
        createLanguageModel(ref, env);
        // A local server (vLLM, Ollama) may need no key; a hosted one always does.
        const isLocalServer = /^https?:\/\/(localhost|127\.|\[::1\])/.test(env.OPENAI_COMPATIBLE_BASE_URL ?? "");
        if (parseModelRef(ref).provider === "openai-compatible" && !env.OPENAI_COMPATIBLE_API_KEY && !isLocalServer) {
          providerProblems.add(`OPENAI_COMPATIBLE_API_KEY is not set: set it to the API key of ${env.OPENAI_COMPATIBLE_BASE_URL} (needed for ${ref}).`);
        }
      } catch (error) {
        providerProblems.add(`${(error as Error).message.replace(/\.$/, "")} (needed for ${ref}).`);
      }
    }
    problems.push(...[...providerProblems].map((message) => `${config.name}: ${message}`));
  }
  if (problems.length) throw new AppError("bad_request", `Cannot start the eval:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return selected;
}
