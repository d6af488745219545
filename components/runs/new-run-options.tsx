"use client";
// The new-run form's optional sections, each a disclosure. "Models per role": one field per agent
// role; empty uses the configured model (FACTORY_MODEL_<ROLE>, else FACTORY_MODEL), and a
// comma-separated list is a ladder (the coder's attempts take them in turn; other roles climb it
// when a task stalls). "Advanced": this run's own setup and test commands; left empty, the
// repository's profile decides, and "None for this run" sends "" (no such step).

import type { ReactNode } from "react";
import type { RoleModelTexts } from "@/lib/client/rerun";
import { agentRoles, modelRefExample, type AgentRoleName } from "@/lib/llm/model-ref";
import { FieldHint, TextField } from "@/components/ui/input";

export type CommandOverrideName = "setupCommand" | "testCommand";
export type CommandOverrideValues = Record<CommandOverrideName, { command: string; isOff: boolean }>;

export const emptyCommandOverrides: CommandOverrideValues = {
  setupCommand: { command: "", isOff: false },
  testCommand: { command: "", isOff: false },
};

/** The POST /api/runs fields: left out uses the profile, "" runs no such step. */
export function toCommandOverrides(values: CommandOverrideValues): { setupCommand?: string; testCommand?: string } {
  const pick = ({ command, isOff }: { command: string; isOff: boolean }) => (isOff ? "" : command.trim() ? command : undefined);
  const setupCommand = pick(values.setupCommand);
  const testCommand = pick(values.testCommand);
  return { ...(setupCommand !== undefined ? { setupCommand } : {}), ...(testCommand !== undefined ? { testCommand } : {}) };
}

const commandFields: { name: CommandOverrideName; label: string; offLabel: string; hint: string }[] = [
  { name: "setupCommand", label: "Setup command", offLabel: "No setup for this run", hint: "Installs dependencies, with network, before tests." },
  { name: "testCommand", label: "Test command", offLabel: "No tests for this run", hint: "Runs without network after every change; its failures go back to the agents." },
];

type DisclosureProps<Name extends string, Value> = {
  values: Record<Name, Value>;
  errors: Partial<Record<Name, string>>;
  isOpen: boolean;
  onToggle: (isOpen: boolean) => void;
  onChange: (name: Name, value: Value) => void;
};

export function RunModelFields({ values, errors, isOpen, onToggle, onChange }: DisclosureProps<AgentRoleName, string> & { values: RoleModelTexts }) {
  return (
    <Disclosure testId="new-run-models" summary="Models per role" isOpen={isOpen} onToggle={onToggle}>
      <p className="mt-2 text-xs text-slate-500">
        &quot;provider:model&quot;, e.g. <span className="font-mono">{modelRefExample}</span>. A comma-separated list is tried in order. Empty uses the configured model.
      </p>
      <div className="mt-3 grid gap-5 sm:grid-cols-2">
        {agentRoles.map((role) => {
          const id = `new-run-models-${role}`;
          const error = capitalize(errors[role]);
          return (
            <TextField
              key={role}
              id={id}
              label={role}
              labelClassName="capitalize"
              error={error}
              errorTestId={`error-models-${role}`}
              name={`models.${role}`}
              data-testid={`field-models-${role}`}
              value={values[role]}
              onChange={(event) => onChange(role, event.target.value)}
              placeholder="configured default"
              isCode
              className="text-xs"
            />
          );
        })}
      </div>
      <FieldHint>Unknown or unpriced models are refused before the run starts, so the budget can bound them.</FieldHint>
    </Disclosure>
  );
}

export function RunCommandOverrides({ values, errors, isOpen, onToggle, onChange }: DisclosureProps<CommandOverrideName, { command: string; isOff: boolean }>) {
  return (
    <Disclosure testId="new-run-advanced" summary="Advanced: setup and test commands" isOpen={isOpen} onToggle={onToggle}>
      <div className="mt-3 grid gap-5 sm:grid-cols-2">
        {commandFields.map((field) => {
          const value = values[field.name];
          const error = capitalize(errors[field.name]);
          const id = `new-run-${field.name}`;
          return (
            <TextField
              key={field.name}
              id={id}
              label={field.label}
              error={error}
              errorTestId={`error-${field.name}`}
              hint={field.hint}
              name={field.name}
              data-testid={`field-${field.name}`}
              value={value.isOff ? "" : value.command}
              disabled={value.isOff}
              onChange={(event) => onChange(field.name, { ...value, command: event.target.value })}
              placeholder={value.isOff ? "none" : "from the repository profile"}
              isCode
              className="text-xs"
            >
              <label className="mt-1.5 flex items-center gap-2 text-xs text-slate-600">
                <input
                  type="checkbox"
                  data-testid={`field-${field.name}-off`}
                  checked={value.isOff}
                  onChange={(event) => onChange(field.name, { ...value, isOff: event.target.checked })}
                  className="size-3.5 accent-accent-600"
                />
                {field.offLabel}
              </label>
            </TextField>
          );
        })}
      </div>
    </Disclosure>
  );
}

function Disclosure(props: { testId: string; summary: string; isOpen: boolean; onToggle: (isOpen: boolean) => void; children: ReactNode }) {
  return (
    <details open={props.isOpen} onToggle={(event) => props.onToggle(event.currentTarget.open)} data-testid={props.testId} className="rounded-md border border-slate-200 px-4 py-3">
      <summary className="cursor-pointer text-sm font-medium text-slate-700">{props.summary}</summary>
      {props.children}
    </details>
  );
}

function capitalize(message: string | undefined) {
  return message && message.charAt(0).toUpperCase() + message.slice(1);
}
