/** Which model serves each role of the run; roles sharing a model are grouped. */
export function RunModels({ models }: { models: Record<string, string> }) {
  const byModel = new Map<string, string[]>();
  for (const [role, model] of Object.entries(models ?? {})) byModel.set(model, [...(byModel.get(model) ?? []), role]);
  if (byModel.size === 0) return null;
  return (
    <p data-testid="run-models" className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-500">
      {[...byModel].map(([model, roles]) => (
        <span key={model}>
          {roles.join(", ")}: <span className="font-mono text-slate-700">{model}</span>
        </span>
      ))}
    </p>
  );
}
