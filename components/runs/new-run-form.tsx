"use client";
// The new-run form. Limits are checked here for fast feedback; the server's 400 field
// errors stay authoritative and show in the same places.

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../lib/client/api-fetch";
import { useCreateRun, type CreateRunInput } from "../../lib/client/use-create-run";
import { createRunInput } from "../../lib/runs/create-run-input";
import { agentRoles, type AgentRoleName } from "../../lib/llm/model-ref";
import { emptyRoleModelTexts, toRunModelsInput, type NewRunPrefill, type RoleModelTexts } from "../../lib/client/rerun";
import { Button, buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { FieldError, FieldHint, Input, Label } from "../ui/input";
import { useToast } from "../ui/toast";
import { SpecEditor } from "./spec-editor";
import { RunModelFields } from "./run-model-fields";
import { emptyCommandOverrides, RunCommandOverrides, toCommandOverrides, type CommandOverrideValues } from "./run-command-overrides";

/** The route's own schema (the fields this form offers), so the form and the API check the same limits with the same words. */
const newRunSchema = createRunInput.pick({ repo: true, title: true, spec: true, budgetUsd: true, maxIterations: true, models: true, setupCommand: true, testCommand: true });

type FieldName = keyof CreateRunInput;
/** A field, or one role's model ("models.reviewer"), as the API names them in its 400s. */
type ErrorKey = Exclude<FieldName, "models"> | `models.${AgentRoleName}`;
type FieldErrors = Partial<Record<ErrorKey, string>>;
const FIELD_NAMES: readonly ErrorKey[] = ["repo", "title", "spec", "budgetUsd", "maxIterations", ...agentRoles.map((role) => `models.${role}` as const), "setupCommand", "testCommand"];

/** ["models", "coder", 1] and "models.coder.1" both name the coder's model field. */
function toErrorKey(path: readonly PropertyKey[]): ErrorKey | null {
  const key = path[0] === "models" && path[1] !== undefined ? `models.${String(path[1])}` : String(path[0]);
  return (FIELD_NAMES as readonly string[]).includes(key) ? (key as ErrorKey) : null;
}
const fieldElementId = (key: ErrorKey) => `new-run-${key.replace(".", "-")}`;

type FormValues = { repo: string; title: string; spec: string; budgetUsd: string; maxIterations: string };

/** `prefill` re-runs a run: its repository, spec, limits and models per role, all editable. */
export function NewRunForm({ prefill }: { prefill?: NewRunPrefill } = {}) {
  const router = useRouter();
  const showToast = useToast();
  const createRun = useCreateRun();
  const [values, setValues] = useState<FormValues>(() =>
    prefill
      ? { repo: prefill.repo, title: prefill.title, spec: prefill.spec, budgetUsd: prefill.budgetUsd.toFixed(2), maxIterations: String(prefill.maxIterations) }
      : { repo: "", title: "", spec: "", budgetUsd: "5.00", maxIterations: "3" },
  );
  const [models, setModels] = useState<RoleModelTexts>(() => prefill?.models ?? emptyRoleModelTexts());
  const [isModelsOpen, setIsModelsOpen] = useState(Boolean(prefill));
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
      models: toRunModelsInput(models),
      ...toCommandOverrides(commands),
    });
    if (!parsed.success) {
      const clientErrors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = toErrorKey(issue.path);
        if (key) clientErrors[key] ??= issue.message;
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
    if (agentRoles.some((role) => fieldErrors[`models.${role}`])) setIsModelsOpen(true);
    const firstInvalid = FIELD_NAMES.find((field) => fieldErrors[field]);
    // After the disclosure has opened, so the field can take focus.
    if (firstInvalid) requestAnimationFrame(() => document.getElementById(fieldElementId(firstInvalid))?.focus());
  };

  const handleServerError = (error: Error) => {
    if (!(error instanceof ApiError)) {
      showToast({ tone: "error", title: "Could not create the run", message: error.message });
      return;
    }
    const serverErrors: FieldErrors = {};
    for (const { field, message } of error.fields) {
      const key = toErrorKey(field.split("."));
      if (key) serverErrors[key] ??= message;
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

  const describedBy = (field: ErrorKey, hint?: boolean) =>
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
        <RunModelFields
          values={models}
          errors={Object.fromEntries(agentRoles.map((role) => [role, errors[`models.${role}`]]))}
          isOpen={isModelsOpen}
          onToggle={setIsModelsOpen}
          onChange={(role, value) => {
            setModels((current) => ({ ...current, [role]: value }));
            if (errors[`models.${role}`]) setErrors((current) => ({ ...current, [`models.${role}`]: undefined }));
          }}
        />
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
