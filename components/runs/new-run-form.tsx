"use client";
// The new-run form. Limits are checked here for fast feedback; the server's 400 field
// errors stay authoritative and show in the same places.

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { ApiError } from "@/lib/client/api-fetch";
import { useCreateRun, type CreateRunInput } from "@/lib/client/runs";
import { createRunInput } from "@/lib/runs/create-run-input";
import { agentRoles, type AgentRoleName } from "@/lib/llm/model-ref";
import { emptyRoleModelTexts, toRunModelsInput, type NewRunPrefill, type RoleModelTexts } from "@/lib/client/rerun";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describedByOf, Field, TextField } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { emptyCommandOverrides, RunCommandOverrides, RunModelFields, toCommandOverrides, type CommandOverrideValues } from "./new-run-options";
import { SpecEditor } from "./spec-editor";

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

// The limits come from the route's schema, so the hints and the input bounds cannot drift from it.
const maxBudgetUsd = newRunSchema.shape.budgetUsd.maxValue ?? undefined;
const { minValue: minIterationLimit, maxValue: maxIterationLimit } = newRunSchema.shape.maxIterations.unwrap();
const NUMBER_FIELDS = [
  {
    name: "budgetUsd",
    label: "Budget (USD)",
    hint: `A hard cap: agents stop before spending more. Up to $${maxBudgetUsd?.toLocaleString("en-US")}.`,
    adornment: "$",
    inputMode: "decimal",
    step: 0.01,
    min: 0.01,
    max: maxBudgetUsd,
  },
  { name: "maxIterations", label: "Iteration limit", hint: `Test–review–fix rounds per task, ${minIterationLimit} to ${maxIterationLimit}.`, inputMode: "numeric", step: 1, min: minIterationLimit ?? undefined, max: maxIterationLimit ?? undefined },
] as const;

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

  /** What every top-level field shares: its id, name, test id, label, value, error and hint. */
  const fieldProps = (field: keyof FormValues, label: string, hint?: string) => ({
    id: fieldElementId(field),
    name: field,
    "data-testid": `field-${field}`,
    label,
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setValue(field, event.target.value),
    error: errors[field],
    errorTestId: `error-${field}`,
    hint,
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="New run" className="space-y-4">
      <Card className="space-y-5 p-5">
        <div className="grid gap-5 sm:grid-cols-2">
          <TextField
            {...fieldProps("repo", "Repository", "The GitHub repository the pull requests go to.")}
            placeholder="owner/name"
            isCode
          />
          <TextField {...fieldProps("title", "Title")} placeholder="Add CSV export to the orders page" />
        </div>

        <Field id="new-run-spec" label="Spec" error={errors.spec} errorTestId="error-spec">
          <SpecEditor id="new-run-spec" value={values.spec} onChange={(value) => setValue("spec", value)} isInvalid={Boolean(errors.spec)} describedBy={describedByOf("new-run-spec", errors.spec)} />
        </Field>

        <div className="grid gap-5 sm:grid-cols-2">
          {NUMBER_FIELDS.map(({ name, label, hint, ...inputProps }) => (
            <TextField key={name} {...fieldProps(name, label, hint)} {...inputProps} type="number" className="tabular-nums" />
          ))}
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
