// Which model a role uses: the run's override, then FACTORY_MODEL_<ROLE>, then FACTORY_MODEL.
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { parseModelRef, type ModelRef } from "./model-ref";

export type AgentRoleName = "planner" | "coder" | "tester" | "reviewer" | "fixer";

export function resolveModelForRole(options: { role: AgentRoleName; runModels?: unknown; env?: Env }): ModelRef {
  const env = options.env ?? getEnv();
  const runModels = (options.runModels ?? {}) as Record<string, unknown>;
  const fromRun = typeof runModels[options.role] === "string" ? (runModels[options.role] as string) : undefined;
  const roleVariable = `FACTORY_MODEL_${options.role.toUpperCase()}` as keyof Env;
  const ref = fromRun ?? (env[roleVariable] as string | undefined) ?? env.FACTORY_MODEL;
  if (!ref) {
    throw new AppError(
      "bad_request",
      `No model configured for the ${options.role} role: set FACTORY_MODEL (or ${roleVariable}) to "provider:model", e.g. "openai-compatible:glm-5.2".`,
    );
  }
  return parseModelRef(ref);
}
