"use client";
// The profile edit form: one line per command ("" means none), CI, follow-up budget and coder
// attempts, each with its error inline under the field. Its values are parsed with the API's
// own schema, so the form shows the same field errors the server would answer with.

import type { FormEvent } from "react";
import type { ApiFieldError } from "@/lib/client/api-fetch";
import {
  maxCoderAttempts,
  maxFollowUpBudgetUsd,
  profileCommandNames,
  updateRepositoryProfileInput,
  type RepositoryProfile,
  type UpdateRepositoryProfileInput,
} from "@/lib/repositories/repository-profile-schema";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, Label, TextField } from "@/components/ui/input";

export type ProfileFieldName = (typeof profileCommandNames)[number] | "hasCi" | "followUpBudgetUsd" | "coderAttempts";
export type ProfileFormValues = Record<(typeof profileCommandNames)[number] | "followUpBudgetUsd" | "coderAttempts", string> & { hasCi: boolean };
export type ProfileFieldErrors = Partial<Record<ProfileFieldName, string>>;

const profileFieldNames: readonly ProfileFieldName[] = [...profileCommandNames, "hasCi", "followUpBudgetUsd", "coderAttempts"];

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

const commandHints: Record<(typeof profileCommandNames)[number], string> = {
  setupCommand: "Installs dependencies; the only step with network.",
  testCommand: "Empty: no tests, and reports say so.",
  lintCommand: "Optional.",
  typecheckCommand: "Optional.",
  buildCommand: "Optional.",
};

const numberFields = [
  { name: "followUpBudgetUsd", label: "Follow-up budget (USD)", inputMode: "decimal", step: 0.01, min: 0.01, max: maxFollowUpBudgetUsd, hint: `Per PR, for answering human reviews after a run. Up to $${maxFollowUpBudgetUsd}.` },
  { name: "coderAttempts", label: "Coder attempts", inputMode: "numeric", step: 1, min: 1, max: maxCoderAttempts, hint: `First-pass attempts per task, 1 to ${maxCoderAttempts}.` },
] as const;

export function RepositoryProfileForm(props: {
  idPrefix: string;
  repositoryName: string;
  values: ProfileFormValues;
  errors: ProfileFieldErrors;
  isSaving: boolean;
  onChange: (field: ProfileFieldName, value: string | boolean) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const { idPrefix, values, errors } = props;
  const id = (field: ProfileFieldName) => `${idPrefix}-${field}`;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    props.onSave();
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit the profile of ${props.repositoryName}`} className="space-y-4 px-4 py-4">
      <div className="grid gap-4 sm:grid-cols-2">
        {profileCommandNames.map((command) => (
          <TextField
            key={command}
            id={id(command)}
            label={`${commandLabels[command]} command`}
            error={errors[command]}
            errorTestId={`profile-error-${command}`}
            hint={commandHints[command]}
            name={command}
            data-testid={`profile-input-${command}`}
            value={values[command]}
            onChange={(event) => props.onChange(command, event.target.value)}
            placeholder="none"
            isCode
            className="text-xs"
          />
        ))}
      </div>

      <div className="grid gap-4 sm:grid-cols-3">
        {numberFields.map((field) => (
          <TextField
            key={field.name}
            id={id(field.name)}
            label={field.label}
            error={errors[field.name]}
            errorTestId={`profile-error-${field.name}`}
            hint={field.hint}
            name={field.name}
            type="number"
            inputMode={field.inputMode}
            step={field.step}
            min={field.min}
            max={field.max}
            data-testid={`profile-input-${field.name}`}
            value={values[field.name]}
            onChange={(event) => props.onChange(field.name, event.target.value)}
            className="tabular-nums"
          />
        ))}
        <div className="flex items-start gap-2 pt-6">
          <input
            id={id("hasCi")}
            type="checkbox"
            data-testid="profile-input-hasCi"
            checked={values.hasCi}
            onChange={(event) => props.onChange("hasCi", event.target.checked)}
            aria-describedby={`${id("hasCi")}-hint`}
            className="mt-0.5 size-4 rounded border-slate-300 accent-accent-600"
          />
          <div>
            <Label htmlFor={id("hasCi")}>Wait for GitHub CI</Label>
            <FieldHint id={`${id("hasCi")}-hint`}>Turn off when CI does not run on factory/* branches.</FieldHint>
            <FieldError id={`${id("hasCi")}-error`} testId="profile-error-hasCi" message={errors.hasCi} />
          </div>
        </div>
      </div>

      <div className="flex justify-end gap-2">
        <Button variant="secondary" size="sm" data-testid="profile-cancel" onClick={props.onCancel} disabled={props.isSaving}>
          Cancel
        </Button>
        <Button type="submit" size="sm" data-testid="profile-save" disabled={props.isSaving}>
          {props.isSaving ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
