// What each agent role runs with today, for Settings: the problems that would make the
// factory refuse a run, stated before anyone submits one.
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { findModelPrice } from "./model-price";
import type { PriceSource, RoleModelDto } from "./model-price-dto";
import { resolveModelForRole, type AgentRoleName } from "./resolve-model";

export const agentRoles: readonly AgentRoleName[] = ["planner", "coder", "tester", "reviewer", "fixer"];

export async function describeRoleModels(options: { env?: Env } = {}): Promise<RoleModelDto[]> {
  const env = options.env ?? getEnv();
  return Promise.all(agentRoles.map((role) => describeRoleModel(role, env)));
}

async function describeRoleModel(role: AgentRoleName, env: Env): Promise<RoleModelDto> {
  const roleVariable = `FACTORY_MODEL_${role.toUpperCase()}`;
  let ref: string;
  try {
    ref = resolveModelForRole({ role, env }).ref;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { role, model: null, configuredBy: null, price: null, problem: error.message };
  }
  const configuredBy = env[roleVariable as keyof Env] ? roleVariable : "FACTORY_MODEL";
  const price = await findModelPrice(ref, env);
  if (!price) {
    return {
      role,
      model: ref,
      configuredBy,
      price: null,
      problem: `No price for "${ref}": runs will be refused. Add its price below, or set it in FACTORY_MODEL_PRICES.`,
    };
  }
  const { input, output, cacheRead, cacheWrite, source } = price;
  return { role, model: ref, configuredBy, price: { input, output, cacheRead, cacheWrite, source: source as PriceSource }, problem: null };
}
