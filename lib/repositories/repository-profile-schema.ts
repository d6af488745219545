// The edges of a repository profile: the command field every command input shares (profile
// edits and per-run overrides), the PUT body, and the JSON shape the API answers. No server
// imports, so the browser can validate with the same rules.
import { z } from "zod";
import type { ProfileSource } from "@/lib/generated/prisma/enums";
import { describeRepositoryNameProblem } from "@/lib/github/repository-name";

const maxCommandLength = 2000;

/**
 * Control characters (C0 but tab, DEL, C1) and the bidi overrides that make text read
 * differently than it runs. NUL and line breaks have their own messages.
 */
const unprintablePattern = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * One shell command line, trimmed. "" is allowed and means "none". Commands run in the
 * sandbox, so this guards readability and storage, not safety: one line a reviewer can read.
 */
export const commandField = z
  .string({ message: "must be a string (use \"\" for none)" })
  .trim()
  .max(maxCommandLength, { message: `must be at most ${maxCommandLength} characters` })
  .refine((value) => !/[\r\n]/.test(value), { message: "must be a single line (no line breaks)" })
  .refine((value) => !value.includes("\u0000"), { message: "must not contain NUL characters" })
  .refine((value) => !unprintablePattern.test(value), { message: "must contain only printable characters" });

/** The editable profile commands, in the order the UI shows them. */
export const profileCommandNames = ["setupCommand", "testCommand", "lintCommand", "typecheckCommand", "buildCommand"] as const;

export const maxFollowUpBudgetUsd = 1000;
export const maxCoderAttempts = 8;

/** A whole-number field from `min` to `max`; each violation's message names the rule. */
export function wholeNumberField(min: number, max: number) {
  return z
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });
}

/** An amount of US dollars, more than 0 and at most `max`. */
export function usdField(max: number) {
  return z.number({ message: "must be a number of US dollars" }).gt(0, { message: "must be more than 0" }).max(max, { message: `must be at most ${max}` });
}

/**
 * PUT /api/repositories/:owner/:name. Fields left out keep their value; a command set to ""
 * or null means "none" (e.g. no test step). Any edit makes the profile a user profile, which
 * detection never overwrites.
 */
export const updateRepositoryProfileInput = z
  .object({
    setupCommand: commandField.nullable().optional(),
    testCommand: commandField.nullable().optional(),
    lintCommand: commandField.nullable().optional(),
    typecheckCommand: commandField.nullable().optional(),
    buildCommand: commandField.nullable().optional(),
    hasCi: z.boolean({ message: "must be true or false" }).optional(),
    followUpBudgetUsd: usdField(maxFollowUpBudgetUsd).optional(),
    coderAttempts: wholeNumberField(1, maxCoderAttempts).optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), { message: "must set at least one field" });

export type UpdateRepositoryProfileInput = z.infer<typeof updateRepositoryProfileInput>;

/** `owner/name` path segments, checked against GitHub's naming rules; the error names the bad one. */
export const repositoryRefInput = z.object({ owner: z.string(), name: z.string() }).superRefine((ref, ctx) => {
  const ownerProblem = describeRepositoryNameProblem(`${ref.owner}/x`);
  if (ownerProblem) return void ctx.addIssue({ code: "custom", path: ["owner"], message: ownerProblem });
  const nameProblem = describeRepositoryNameProblem(`${ref.owner}/${ref.name}`);
  if (nameProblem) ctx.addIssue({ code: "custom", path: ["name"], message: nameProblem });
});

/** What a profile knows how to run (null: none, so no setup step, no test step, ...), and whether CI exists. */
export type ProfileCommands = {
  setupCommand: string | null;
  testCommand: string | null;
  lintCommand: string | null;
  typecheckCommand: string | null;
  buildCommand: string | null;
  hasCi: boolean;
};

/** A repository's profile as the API sends it; JSON-safe, so workflow steps can return it too. */
export type RepositoryProfile = ProfileCommands & {
  id: string;
  owner: string;
  name: string;
  /** "owner/name" */
  fullName: string;
  defaultBranch: string;
  /** How the profile was found, one finding per line; null until detected. */
  detectionReport: string | null;
  /** "user" once edited: detection then keeps every command and setting. */
  profileSource: ProfileSource;
  detectedSha: string | null;
  detectedAt: string | null; // ISO
  followUpBudgetUsd: number;
  coderAttempts: number;
  updatedAt: string; // ISO
};

export type RepositoryListDto = { repositories: RepositoryProfile[] };

/** What reports say when there was no test command, so "no tests" never reads as green. */
export function describeNoTestCommand(source: "run" | "repository" = "repository"): string {
  return source === "run" ? "No tests ran: this run set no test command" : "No tests ran: the repository has no test command";
}
