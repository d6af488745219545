// Re-running a spec: what the new-run form starts from when it re-runs a run, and the per-role
// model fields' text <-> the API's `models` (one "provider:model" or a list per role).
// Browser-safe: the server page builds the prefill, the form reads and submits it.
import { agentRoles, type AgentRoleName } from "@/lib/llm/model-ref";
import type { RunDetailDto } from "@/lib/runs/run-dto";

/** One text per role: "provider:model", or a comma-separated list (a ladder); "" = configured default. */
export type RoleModelTexts = Record<AgentRoleName, string>;

export type NewRunPrefill = {
  /** The run being re-run. */
  sourceRunId: string;
  repo: string;
  title: string;
  spec: string;
  budgetUsd: number;
  maxIterations: number;
  models: RoleModelTexts;
};

export const emptyRoleModelTexts = (): RoleModelTexts =>
  Object.fromEntries(agentRoles.map((role) => [role, ""])) as RoleModelTexts;

/** The form's starting values for re-running `run`: same repository, spec, limits and models per role. */
export function toRerunPrefill(run: Pick<RunDetailDto, "id" | "repository" | "title" | "spec" | "budgetUsd" | "maxIterations" | "models" | "modelLadders">): NewRunPrefill {
  const models = emptyRoleModelTexts();
  for (const role of agentRoles) {
    const ladder = run.modelLadders[role] ?? (run.models[role] ? [run.models[role]] : []);
    models[role] = ladder.join(", ");
  }
  return {
    sourceRunId: run.id,
    repo: run.repository ?? "",
    title: run.title,
    spec: run.spec,
    budgetUsd: run.budgetUsd,
    maxIterations: run.maxIterations,
    models,
  };
}

/** The `models` field of POST /api/runs: roles left empty are left out (the configured model serves them). */
export function toRunModelsInput(texts: RoleModelTexts): Partial<Record<AgentRoleName, string | string[]>> | undefined {
  const entries = agentRoles.flatMap((role) => {
    const models = (texts[role] ?? "").split(",").map((model) => model.trim()).filter(Boolean);
    if (models.length === 0) return [];
    return [[role, models.length === 1 ? models[0] : models] as const];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}
