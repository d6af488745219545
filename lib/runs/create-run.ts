import { AppError } from "../errors";
import { db } from "../db";
import { redactSecrets } from "../redact";
import type { CreateRunInput } from "./create-run-input";
import { recordRunEvent } from "./record-run-event";
import { resolveRunModelsOrThrow } from "./resolve-run-models";
import { runPageUrl } from "./to-run-dto";

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
