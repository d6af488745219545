// The profile edit form's values as typed, and their parsing with the API's own schema, so
// the form shows the same field errors the server would answer with.
import type { ApiFieldError } from "../../lib/client/api-fetch";
import {
  profileCommandNames,
  updateRepositoryProfileInput,
  type RepositoryProfile,
  type UpdateRepositoryProfileInput,
} from "../../lib/repositories/repository-profile-schema";

export type ProfileFieldName = (typeof profileCommandNames)[number] | "hasCi" | "followUpBudgetUsd" | "coderAttempts";
export type ProfileFormValues = Record<(typeof profileCommandNames)[number] | "followUpBudgetUsd" | "coderAttempts", string> & { hasCi: boolean };
export type ProfileFieldErrors = Partial<Record<ProfileFieldName, string>>;

export const profileFieldNames: readonly ProfileFieldName[] = [...profileCommandNames, "hasCi", "followUpBudgetUsd", "coderAttempts"];

export const commandLabels: Record<(typeof profileCommandNames)[number], string> = {
  setupCommand: "Setup",
  testCommand: "Test",
  lintCommand: "Lint",
  typecheckCommand: "Typecheck",
  buildCommand: "Build",
};

export function toFormValues(profile: RepositoryProfile): ProfileFormValues {
  return {
    setupCommand: profile.setupCommand ?? "",
    testCommand: profile.testCommand ?? "",
    lintCommand: profile.lintCommand ?? "",
    typecheckCommand: profile.typecheckCommand ?? "",
    buildCommand: profile.buildCommand ?? "",
    hasCi: profile.hasCi,
    followUpBudgetUsd: String(profile.followUpBudgetUsd),
    coderAttempts: String(profile.coderAttempts),
  };
}

export function parseProfileForm(values: ProfileFormValues): { input: UpdateRepositoryProfileInput } | { errors: ProfileFieldErrors } {
  const parsed = updateRepositoryProfileInput.safeParse({ ...values, followUpBudgetUsd: toNumber(values.followUpBudgetUsd), coderAttempts: toNumber(values.coderAttempts) });
  if (parsed.success) return { input: parsed.data };
  return { errors: pickProfileFieldErrors(parsed.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message }))) };
}

/** The errors that belong to a field of the form (from zod here, or the API's 400). */
export function pickProfileFieldErrors(fields: ApiFieldError[]): ProfileFieldErrors {
  const errors: ProfileFieldErrors = {};
  for (const { field, message } of fields) {
    if ((profileFieldNames as readonly string[]).includes(field)) errors[field as ProfileFieldName] ??= capitalize(message);
  }
  return errors;
}

/** "" stays undefined (so zod says what is missing) and junk becomes NaN (so zod says it is not a number). */
function toNumber(value: string): number | undefined {
  if (value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : Number.NaN;
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
