"use client";
// The new-run form's "Advanced" disclosure: this run's own setup and test commands. Left
// empty, the repository's profile decides; "None for this run" sends "" (no such step).

import { FieldError, FieldHint, Input, Label } from "../ui/input";

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

const fields: { name: CommandOverrideName; label: string; placeholder: string; offLabel: string; hint: string }[] = [
  { name: "setupCommand", label: "Setup command", placeholder: "from the repository profile", offLabel: "No setup for this run", hint: "Installs dependencies, with network, before tests." },
  { name: "testCommand", label: "Test command", placeholder: "from the repository profile", offLabel: "No tests for this run", hint: "Runs without network after every change; its failures go back to the agents." },
];

export function RunCommandOverrides(props: {
  values: CommandOverrideValues;
  errors: Partial<Record<CommandOverrideName, string>>;
  isOpen: boolean;
  onToggle: (isOpen: boolean) => void;
  onChange: (name: CommandOverrideName, value: { command: string; isOff: boolean }) => void;
}) {
  return (
    <details
      open={props.isOpen}
      onToggle={(event) => props.onToggle(event.currentTarget.open)}
      data-testid="new-run-advanced"
      className="rounded-md border border-slate-200 px-4 py-3"
    >
      <summary className="cursor-pointer text-sm font-medium text-slate-700">Advanced: setup and test commands</summary>
      <div className="mt-3 grid gap-5 sm:grid-cols-2">
        {fields.map((field) => {
          const value = props.values[field.name];
          const error = props.errors[field.name];
          const id = `new-run-${field.name}`;
          return (
            <div key={field.name}>
              <Label htmlFor={id}>{field.label}</Label>
              <Input
                id={id}
                name={field.name}
                data-testid={`field-${field.name}`}
                value={value.isOff ? "" : value.command}
                disabled={value.isOff}
                onChange={(event) => props.onChange(field.name, { ...value, command: event.target.value })}
                isInvalid={Boolean(error)}
                aria-describedby={error ? `${id}-error` : `${id}-hint`}
                placeholder={value.isOff ? "none" : field.placeholder}
                autoComplete="off"
                spellCheck={false}
                className="mt-1 font-mono text-xs"
              />
              <label className="mt-1.5 flex items-center gap-2 text-xs text-slate-600">
                <input
                  type="checkbox"
                  data-testid={`field-${field.name}-off`}
                  checked={value.isOff}
                  onChange={(event) => props.onChange(field.name, { ...value, isOff: event.target.checked })}
                  className="size-3.5 accent-accent-600"
                />
                {field.offLabel}
              </label>
              {error ? <FieldError id={`${id}-error`} testId={`error-${field.name}`} message={error.charAt(0).toUpperCase() + error.slice(1)} /> : <FieldHint id={`${id}-hint`}>{field.hint}</FieldHint>}
            </div>
          );
        })}
      </div>
    </details>
  );
}
