// Creating a run: resolving its models, checking prices, and queueing the work.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { resolveModelLadder, type RoleModels } from "@/lib/llm/language-model";
import { getModelPriceOrThrow } from "@/lib/llm/model-price";
import type { AgentRoleName } from "@/lib/llm/model-ref";
import { redactSecrets } from "@/lib/redact";
import type { CreateRunInput } from "./create-run-input";
import { recordRunEvent } from "./run-events";
import { runPageUrl } from "./to-run-dto";

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

export type RequestRun = (runId: string) => Promise<void>;

/**
 * Creates a queued run and asks the workflow engine to start it. If the engine cannot be
 * reached, the run is kept and marked failed with that reason (never left queued silently).
 */
export async function createRun(options: {
  input: CreateRunInput;
  requestRun: RequestRun;
  engineUrl: string;
}): Promise<{ id: string; url: string }> {
  const { input } = options;
  const models = await resolveRunModelsOrThrow(input.models);
  const [owner, name] = input.repo.split("/");
  const run = await db.$transaction(async (tx) => {
    const repository = await tx.repository.upsert({
      where: { owner_name: { owner, name } },
      create: { owner, name },
      update: {},
      select: { id: true },
    });
    const created = await tx.run.create({
      data: {
        repositoryId: repository.id,
        title: input.title,
        spec: input.spec,
        budgetUsd: input.budgetUsd,
        maxIterations: input.maxIterations,
        models,
        testCommand: input.testCommand ?? null,
        setupCommand: input.setupCommand ?? null,
        coderAttempts: input.coderAttempts ?? null,
        ...(input.escalateAfter !== undefined ? { escalateAfter: input.escalateAfter } : {}),
      },
      select: { id: true },
    });
    await recordRunEvent(
      { runId: created.id, type: "run.created", payload: {
          repo: input.repo, budgetUsd: input.budgetUsd, maxIterations: input.maxIterations, models, ...commandOverrides(input),
          ...(input.coderAttempts !== undefined ? { coderAttempts: input.coderAttempts } : {}),
          ...(input.escalateAfter !== undefined ? { escalateAfter: input.escalateAfter } : {}),
        } },
      tx,
    );
    return created;
  });

  try {
    await options.requestRun(run.id);
  } catch (cause) {
    const reason = `Could not reach the workflow engine at ${options.engineUrl}: ${redactSecrets((cause as Error)?.message ?? String(cause))}`;
    await db.$transaction(async (tx) => {
      await tx.run.update({ where: { id: run.id }, data: { status: "failed", error: reason, finishedAt: new Date() } });
      await recordRunEvent({ runId: run.id, type: "run.failed", payload: { reason } }, tx);
    });
    throw new AppError("unavailable", `${reason}. The run was saved as failed; start the Inngest server and submit again.`, {
      details: { runId: run.id },
      cause,
    });
  }
  return { id: run.id, url: runPageUrl(run.id) };
}

/** The run's own setup/test commands, only when it set them, for the run.created event. */
function commandOverrides(input: CreateRunInput): { testCommand?: string; setupCommand?: string } {
  return {
    ...(input.testCommand !== undefined ? { testCommand: input.testCommand } : {}),
    ...(input.setupCommand !== undefined ? { setupCommand: input.setupCommand } : {}),
  };
}
