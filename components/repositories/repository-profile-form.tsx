"use client";
// The profile edit form: one line per command ("" means none), CI, follow-up budget and coder
// attempts, each with its error inline under the field.

import type { FormEvent } from "react";
import { maxCoderAttempts, maxFollowUpBudgetUsd, profileCommandNames } from "../../lib/repositories/repository-profile-schema";
import { Button } from "../ui/button";
import { FieldError, FieldHint, Input, Label } from "../ui/input";
import { commandLabels, type ProfileFieldErrors, type ProfileFieldName, type ProfileFormValues } from "./profile-form-values";

const commandHints: Record<(typeof profileCommandNames)[number], string> = {
  setupCommand: "Installs dependencies; the only step with network.",
  testCommand: "Empty: no tests, and reports say so.",
  lintCommand: "Optional.",
  typecheckCommand: "Optional.",
  buildCommand: "Optional.",
};

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
  const describedBy = (field: ProfileFieldName) => (errors[field] ? `${id(field)}-error` : `${id(field)}-hint`);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    props.onSave();
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit the profile of ${props.repositoryName}`} className="space-y-4 px-4 py-4">
      <div className="grid gap-4 sm:grid-cols-2">
        {profileCommandNames.map((command) => (
          <div key={command}>
            <Label htmlFor={id(command)}>{commandLabels[command]} command</Label>
            <Input
              id={id(command)}
              name={command}
              data-testid={`profile-input-${command}`}
              value={values[command]}
              onChange={(event) => props.onChange(command, event.target.value)}
              isInvalid={Boolean(errors[command])}
              aria-describedby={describedBy(command)}
              placeholder="none"
              autoComplete="off"
              spellCheck={false}
              className="mt-1 font-mono text-xs"
            />
            {errors[command] ? (
              <FieldError id={`${id(command)}-error`} testId={`profile-error-${command}`} message={errors[command]} />
            ) : (
              <FieldHint id={`${id(command)}-hint`}>{commandHints[command]}</FieldHint>
            )}
          </div>
        ))}
      </div>

      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <Label htmlFor={id("followUpBudgetUsd")}>Follow-up budget (USD)</Label>
          <Input
            id={id("followUpBudgetUsd")}
            name="followUpBudgetUsd"
            type="number"
            inputMode="decimal"
            step={0.01}
            min={0.01}
            max={maxFollowUpBudgetUsd}
            data-testid="profile-input-followUpBudgetUsd"
            value={values.followUpBudgetUsd}
            onChange={(event) => props.onChange("followUpBudgetUsd", event.target.value)}
            isInvalid={Boolean(errors.followUpBudgetUsd)}
            aria-describedby={describedBy("followUpBudgetUsd")}
            className="mt-1 tabular-nums"
          />
          {errors.followUpBudgetUsd ? (
            <FieldError id={`${id("followUpBudgetUsd")}-error`} testId="profile-error-followUpBudgetUsd" message={errors.followUpBudgetUsd} />
          ) : (
            <FieldHint id={`${id("followUpBudgetUsd")}-hint`}>Per PR, for answering human reviews after a run. Up to ${maxFollowUpBudgetUsd}.</FieldHint>
          )}
        </div>
        <div>
          <Label htmlFor={id("coderAttempts")}>Coder attempts</Label>
          <Input
            id={id("coderAttempts")}
            name="coderAttempts"
            type="number"
            inputMode="numeric"
            step={1}
            min={1}
            max={maxCoderAttempts}
            data-testid="profile-input-coderAttempts"
            value={values.coderAttempts}
            onChange={(event) => props.onChange("coderAttempts", event.target.value)}
            isInvalid={Boolean(errors.coderAttempts)}
            aria-describedby={describedBy("coderAttempts")}
            className="mt-1 tabular-nums"
          />
          {errors.coderAttempts ? (
            <FieldError id={`${id("coderAttempts")}-error`} testId="profile-error-coderAttempts" message={errors.coderAttempts} />
          ) : (
            <FieldHint id={`${id("coderAttempts")}-hint`}>First-pass attempts per task, 1 to {maxCoderAttempts}.</FieldHint>
          )}
        </div>
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
