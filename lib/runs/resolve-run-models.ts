import { AppError } from "../errors";
import { getModelPriceOrThrow } from "../llm/model-price";
import { resolveModelLadder, type AgentRoleName, type RoleModels } from "../llm/resolve-model";

const roles: AgentRoleName[] = ["planner", "coder", "tester", "reviewer", "fixer"];

/** Role -> its model, or its ordered list of models (best-of-N coders, escalation ladders). */
export type RunModels = Record<AgentRoleName, RoleModels>;

/**
 * The models each role of a new run will use (run override, FACTORY_MODEL_<ROLE>, FACTORY_MODEL),
 * refusing the run before anything is written when a role has no model or any model of any
 * ladder has no known price: spending on a price-less model could not be bounded by the budget.
 * A role with one model keeps the single-string form.
 */
export async function resolveRunModelsOrThrow(overrides: Partial<RunModels> = {}): Promise<RunModels> {
  const models: Partial<RunModels> = {};
  const unconfigured: AgentRoleName[] = [];
  for (const role of roles) {
    try {
      const ladder = resolveModelLadder({ role, runModels: overrides }).map((model) => model.ref);
      models[role] = ladder.length === 1 ? ladder[0] : ladder;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      unconfigured.push(role);
    }
  }

  const problems: { field: string; message: string }[] = [];
  if (unconfigured.length) {
    problems.push({
      field: `models.${unconfigured[0]}`,
      message: `No model is configured for ${unconfigured.join(", ")}: set FACTORY_MODEL="provider:model" (e.g. "openai-compatible:glm-5.2"), FACTORY_MODEL_<ROLE> for one role, or "models" in the request.`,
    });
  }
  const laddersOf = (role: AgentRoleName) => [models[role] ?? []].flat();
  for (const model of new Set(roles.flatMap(laddersOf))) {
    const priceProblem = await getModelPriceOrThrow(model).then(() => null, (error: Error) => error.message);
    if (!priceProblem) continue;
    const usedBy = roles.filter((role) => laddersOf(role).includes(model));
    problems.push({ field: `models.${usedBy[0]}`, message: `${usedBy.join(", ")}: ${priceProblem}` });
  }
  if (problems.length) {
    throw new AppError("unprocessable", `This run cannot start. ${problems.map((p) => p.message).join(" ")}`, { details: { fields: problems } });
  }
  return models as RunModels;
}
