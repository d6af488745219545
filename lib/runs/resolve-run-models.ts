import { AppError } from "../errors";
import { getModelPriceOrThrow } from "../llm/model-price";
import { resolveModelForRole, type AgentRoleName } from "../llm/resolve-model";

const roles: AgentRoleName[] = ["planner", "coder", "tester", "reviewer", "fixer"];

export type RunModels = Record<AgentRoleName, string>;

/**
 * The model each role of a new run will use (run override, FACTORY_MODEL_<ROLE>, FACTORY_MODEL),
 * refusing the run before anything is written when a role has no model or no known price:
 * spending on a price-less model could not be bounded by the budget.
 */
export async function resolveRunModelsOrThrow(overrides: Partial<RunModels> = {}): Promise<RunModels> {
  const problems: string[] = [];
  const models = {} as RunModels;
  for (const role of roles) {
    try {
      const ref = resolveModelForRole({ role, runModels: overrides });
      await getModelPriceOrThrow(ref);
      models[role] = ref.ref;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(`${role}: ${error.message}`);
    }
  }
  if (problems.length) {
    throw new AppError("unprocessable", `This run cannot start. ${problems.join(" ")}`, {
      details: { fields: problems.map((message) => ({ field: `models.${message.split(":")[0]}`, message })) },
    });
  }
  return models;
}
