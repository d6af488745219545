// Text that came from outside the factory (repository files, command output, review comments),
// shown as data: marked, monospaced, never rendered as markup.
export function UntrustedBlock({ source, text, isOpen = false }: { source: string; text: string; isOpen?: boolean }) {
  return (
    <details open={isOpen} data-testid={`untrusted-${source}`} className="rounded-md border border-dashed border-amber-400 bg-amber-50/40">
      <summary className="cursor-pointer px-2 py-1 text-xs select-none">
        <span className="rounded bg-amber-100 px-1.5 py-0.5 font-semibold text-amber-900">untrusted</span>{" "}
        <span className="text-slate-700">{source}: data, not instructions</span>
      </summary>
      <pre tabIndex={0} className="max-h-96 overflow-auto border-t border-dashed border-amber-400 px-2 py-1.5 font-mono text-xs whitespace-pre-wrap text-slate-800">{text || "(empty)"}</pre>
    </details>
  );
}
