"use client";
// The new-run form's "Models per role" disclosure: one field per agent role. Empty uses the
// configured model (FACTORY_MODEL_<ROLE>, else FACTORY_MODEL); a comma-separated list is a
// ladder (the coder's attempts take them in turn; other roles climb it when a task stalls).

import { agentRoles, modelRefExample, type AgentRoleName } from "../../lib/llm/model-ref";
import type { RoleModelTexts } from "../../lib/client/rerun";
import { FieldError, FieldHint, Input, Label } from "../ui/input";

export function RunModelFields(props: {
  values: RoleModelTexts;
  errors: Partial<Record<AgentRoleName, string>>;
  isOpen: boolean;
  onToggle: (isOpen: boolean) => void;
  onChange: (role: AgentRoleName, value: string) => void;
}) {
  return (
    <details
      open={props.isOpen}
      onToggle={(event) => props.onToggle(event.currentTarget.open)}
      data-testid="new-run-models"
      className="rounded-md border border-slate-200 px-4 py-3"
    >
      <summary className="cursor-pointer text-sm font-medium text-slate-700">Models per role</summary>
      <p className="mt-2 text-xs text-slate-500">
        &quot;provider:model&quot;, e.g. <span className="font-mono">{modelRefExample}</span>. A comma-separated list is tried in order. Empty uses the configured model.
      </p>
      <div className="mt-3 grid gap-5 sm:grid-cols-2">
        {agentRoles.map((role) => {
          const id = `new-run-models-${role}`;
          const error = props.errors[role];
          return (
            <div key={role}>
              <Label htmlFor={id} className="capitalize">
                {role}
              </Label>
              <Input
                id={id}
                name={`models.${role}`}
                data-testid={`field-models-${role}`}
                value={props.values[role]}
                onChange={(event) => props.onChange(role, event.target.value)}
                isInvalid={Boolean(error)}
                aria-describedby={error ? `${id}-error` : undefined}
                placeholder="configured default"
                autoComplete="off"
                spellCheck={false}
                className="mt-1 font-mono text-xs"
              />
              {error ? <FieldError id={`${id}-error`} testId={`error-models-${role}`} message={error.charAt(0).toUpperCase() + error.slice(1)} /> : null}
            </div>
          );
        })}
      </div>
      <FieldHint>Unknown or unpriced models are refused before the run starts, so the budget can bound them.</FieldHint>
    </details>
  );
}
