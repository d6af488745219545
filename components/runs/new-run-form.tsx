"use client";
// The new-run form. Limits are checked here for fast feedback; the server's 400 field
// errors stay authoritative and show in the same places.

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../lib/client/api-fetch";
import { useCreateRun, type CreateRunInput } from "../../lib/client/use-create-run";
import { createRunInput } from "../../lib/runs/create-run-input";
import { Button, buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { FieldError, FieldHint, Input, Label } from "../ui/input";
import { useToast } from "../ui/toast";
import { SpecEditor } from "./spec-editor";
import { emptyCommandOverrides, RunCommandOverrides, toCommandOverrides, type CommandOverrideValues } from "./run-command-overrides";

/** The route's own schema (the fields this form offers), so the form and the API check the same limits with the same words. */
const newRunSchema = createRunInput.pick({ repo: true, title: true, spec: true, budgetUsd: true, maxIterations: true, setupCommand: true, testCommand: true });

type FieldName = keyof CreateRunInput;
type FieldErrors = Partial<Record<FieldName, string>>;
const FIELD_NAMES: readonly FieldName[] = ["repo", "title", "spec", "budgetUsd", "maxIterations", "setupCommand", "testCommand"];

type FormValues = { repo: string; title: string; spec: string; budgetUsd: string; maxIterations: string };

export function NewRunForm() {
  const router = useRouter();
  const showToast = useToast();
  const createRun = useCreateRun();
  const [values, setValues] = useState<FormValues>({ repo: "", title: "", spec: "", budgetUsd: "5.00", maxIterations: "3" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [commands, setCommands] = useState<CommandOverrideValues>(emptyCommandOverrides);
  const [isAdvancedOpen, setIsAdvancedOpen] = useState(false);

  const setValue = (field: keyof FormValues, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (createRun.isPending) return;
    const parsed = newRunSchema.safeParse({
      ...values,
      budgetUsd: parseNumber(values.budgetUsd),
      maxIterations: parseNumber(values.maxIterations),
      ...toCommandOverrides(commands),
    });
    if (!parsed.success) {
      const clientErrors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as FieldName;
        clientErrors[field] ??= issue.message;
      }
      showFieldErrors(clientErrors);
      return;
    }
    setErrors({});
    createRun.mutate(parsed.data, {
      onSuccess: ({ id }) => router.push(`/runs/${id}`),
      onError: (error) => handleServerError(error),
    });
  };

  const showFieldErrors = (fieldErrors: FieldErrors) => {
    setErrors(fieldErrors);
    // A command error is inside the Advanced disclosure: open it, so the error can be seen.
    if (fieldErrors.setupCommand || fieldErrors.testCommand) setIsAdvancedOpen(true);
    const firstInvalid = FIELD_NAMES.find((field) => fieldErrors[field]);
    if (firstInvalid) document.getElementById(`new-run-${firstInvalid}`)?.focus();
  };

  const handleServerError = (error: Error) => {
    if (!(error instanceof ApiError)) {
      showToast({ tone: "error", title: "Could not create the run", message: error.message });
      return;
    }
    const serverErrors: FieldErrors = {};
    for (const { field, message } of error.fields) {
      if ((FIELD_NAMES as readonly string[]).includes(field)) serverErrors[field as FieldName] ??= message;
    }
    if (Object.keys(serverErrors).length > 0) {
      showFieldErrors(serverErrors);
      return;
    }
    if (error.status === 413) {
      showFieldErrors({ spec: error.message || "The request is too large; shorten the spec." });
      return;
    }
    // 503: the run exists but was marked failed because the workflow engine is unreachable.
    const runId = typeof error.details.runId === "string" ? error.details.runId : null;
    showToast({
      tone: "error",
      title: error.status === 503 ? "The factory could not start the run" : "Could not create the run",
      message: error.message,
      action: runId ? { href: `/runs/${runId}`, label: "Open the failed run" } : undefined,
    });
  };

  const describedBy = (field: FieldName, hint?: boolean) =>
    errors[field] ? `new-run-${field}-error` : hint ? `new-run-${field}-hint` : undefined;

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="New run" className="space-y-4">
      <Card className="space-y-5 p-5">
        <div className="grid gap-5 sm:grid-cols-2">
          <div>
            <Label htmlFor="new-run-repo">Repository</Label>
            <Input
              id="new-run-repo"
              name="repo"
              data-testid="field-repo"
              value={values.repo}
              onChange={(event) => setValue("repo", event.target.value)}
              isInvalid={Boolean(errors.repo)}
              aria-describedby={describedBy("repo", true)}
              placeholder="owner/name"
              autoComplete="off"
              spellCheck={false}
              className="mt-1 font-mono"
            />
            {errors.repo ? (
              <FieldError id="new-run-repo-error" testId="error-repo" message={errors.repo} />
            ) : (
              <FieldHint id="new-run-repo-hint">The GitHub repository the pull requests go to.</FieldHint>
            )}
          </div>
          <div>
            <Label htmlFor="new-run-title">Title</Label>
            <Input
              id="new-run-title"
              name="title"
              data-testid="field-title"
              value={values.title}
              onChange={(event) => setValue("title", event.target.value)}
              isInvalid={Boolean(errors.title)}
              aria-describedby={describedBy("title")}
              placeholder="Add CSV export to the orders page"
              className="mt-1"
            />
            <FieldError id="new-run-title-error" testId="error-title" message={errors.title} />
          </div>
        </div>

        <div>
          <Label htmlFor="new-run-spec">Spec</Label>
          <SpecEditor
            id="new-run-spec"
            value={values.spec}
            onChange={(value) => setValue("spec", value)}
            isInvalid={Boolean(errors.spec)}
            describedBy={describedBy("spec")}
          />
          <FieldError id="new-run-spec-error" testId="error-spec" message={errors.spec} />
        </div>

        <div className="grid gap-5 sm:grid-cols-2">
          <div>
            <Label htmlFor="new-run-budgetUsd">Budget (USD)</Label>
            <div className="relative mt-1">
              <span aria-hidden className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500">
                $
              </span>
              <Input
                id="new-run-budgetUsd"
                name="budgetUsd"
                type="number"
                inputMode="decimal"
                step={0.01}
                min={0.01}
                max={10000}
                data-testid="field-budgetUsd"
                value={values.budgetUsd}
                onChange={(event) => setValue("budgetUsd", event.target.value)}
                isInvalid={Boolean(errors.budgetUsd)}
                aria-describedby={describedBy("budgetUsd", true)}
                className="pl-7 tabular-nums"
              />
            </div>
            {errors.budgetUsd ? (
              <FieldError id="new-run-budgetUsd-error" testId="error-budgetUsd" message={errors.budgetUsd} />
            ) : (
              <FieldHint id="new-run-budgetUsd-hint">A hard cap: agents stop before spending more. Up to $10,000.</FieldHint>
            )}
          </div>
          <div>
            <Label htmlFor="new-run-maxIterations">Iteration limit</Label>
            <Input
              id="new-run-maxIterations"
              name="maxIterations"
              type="number"
              inputMode="numeric"
              step={1}
              min={1}
              max={20}
              data-testid="field-maxIterations"
              value={values.maxIterations}
              onChange={(event) => setValue("maxIterations", event.target.value)}
              isInvalid={Boolean(errors.maxIterations)}
              aria-describedby={describedBy("maxIterations", true)}
              className="mt-1 tabular-nums"
            />
            {errors.maxIterations ? (
              <FieldError id="new-run-maxIterations-error" testId="error-maxIterations" message={errors.maxIterations} />
            ) : (
              <FieldHint id="new-run-maxIterations-hint">Test–review–fix rounds per task, 1 to 20.</FieldHint>
            )}
          </div>
        </div>
        <RunCommandOverrides
          values={commands}
          errors={{ setupCommand: errors.setupCommand, testCommand: errors.testCommand }}
          isOpen={isAdvancedOpen}
          onToggle={setIsAdvancedOpen}
          onChange={(name, value) => {
            setCommands((current) => ({ ...current, [name]: value }));
            if (errors[name]) setErrors((current) => ({ ...current, [name]: undefined }));
          }}
        />
      </Card>

      <div className="flex items-center justify-end gap-2">
        <Link href="/" className={buttonClasses({ variant: "ghost" })}>
          Cancel
        </Link>
        <Button type="submit" data-testid="new-run-submit" disabled={createRun.isPending}>
          {createRun.isPending ? "Starting…" : "Start run"}
        </Button>
      </div>
    </form>
  );
}

/** "" stays undefined so zod reports a missing value rather than 0. */
function parseNumber(value: string) {
  if (value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : Number.NaN;
}
