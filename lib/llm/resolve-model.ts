// Which model a role uses: the run's override, then FACTORY_MODEL_<ROLE>, then FACTORY_MODEL.
// A role may name several models, in order (a list in the run, comma-separated in the env):
// the coder's best-of-N attempts take them in turn, and every other role climbs them as an
// escalation ladder when iterations do not converge.
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { parseModelRef, type AgentRoleName, type ModelRef } from "./model-ref";

export type { AgentRoleName };

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
