import { z } from "zod";
import { repositoryFullName } from "@/lib/github/repository-name";
import { agentRoles, isModelRef, modelRefFormat } from "@/lib/llm/model-ref";
import { commandField, maxCoderAttempts, usdField, wholeNumberField } from "@/lib/repositories/repository-profile-schema";

const modelRef = z.string().refine(isModelRef, { message: `must be ${modelRefFormat}` });

/** Limits for a new run; violations are 400s naming the field. */
export const createRunInput = z.object({
  repo: repositoryFullName,
  title: z.string({ message: "is required" }).trim().min(1, { message: "must not be empty" }).max(200, { message: "must be at most 200 characters" }),
  spec: z.string({ message: "is required" }).min(1, { message: "must not be empty" }).max(100_000, { message: "must be at most 100000 characters" }),
  budgetUsd: usdField(10_000),
  maxIterations: wholeNumberField(1, 20).default(3),
  /**
   * Per-role overrides of the configured models, e.g. { "reviewer": "anthropic:claude-opus-4-7" }.
   * A list is tried in order: the coder's attempts take its models in turn, and any role climbs
   * it as an escalation ladder after `escalateAfter` iterations without converging.
   */
  models: z
    .object(
      Object.fromEntries(
        agentRoles.map((role) => [
          role,
          z
            .union([
              modelRef,
              z.array(modelRef, { message: 'must be "provider:model" or a list of them' })
                .min(1, { message: "must list at least one model" })
                .max(8, { message: "must list at most 8 models" }),
            ], { message: 'must be "provider:model" or a list of them' })
            .optional(),
        ]),
      ),
    )
    .strict()
    .optional(),
  /** Best-of-N: coder sessions per task's first pass (1-8); left out uses the repository's default. */
  coderAttempts: wholeNumberField(1, maxCoderAttempts).optional(),
  /** Iterations without converging before a role with a list of models moves to the next one. */
  escalateAfter: wholeNumberField(1, 20).optional(),
  /** Per-run overrides of the repository profile: "" runs no such step; left out uses the profile. */
  testCommand: commandField.optional(),
  setupCommand: commandField.optional(),
});

export type CreateRunInput = z.infer<typeof createRunInput>;
