// One agent session: what it cost, why it stopped, and its transcript. Tool calls and results
// start collapsed; tool results and quoted repository text are marked untrusted (UntrustedBlock,
// which the task page uses too for test output and what the fixer was told).
import type { TaskSessionDetailDto, TranscriptEntryDto } from "@/lib/runs/get-task-detail-or-throw";
import { formatTokens, formatUsd, cx } from "@/lib/client/format";

export function SessionTranscript({ session }: { session: TaskSessionDetailDto }) {
  const toolCalls = session.transcript.filter((entry) => entry.kind === "tool-call").length;
  return (
    <details data-testid={`transcript-${session.id}`} className="rounded-md border border-slate-200">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm select-none">
        <span className="font-semibold text-slate-900">{session.role}</span>
        <span className="font-mono text-xs text-slate-600">{session.model}</span>
        <span className="text-xs text-slate-600">
          {session.status === "running" ? "running" : (session.stopReason ?? session.status).replace(/_/g, " ")} · {session.turns} turns · {toolCalls} tool calls
        </span>
        <span className="ml-auto font-mono text-xs text-slate-900 tabular-nums">{formatUsd(session.costUsd)}</span>
      </summary>
      <div className="space-y-2 border-t border-slate-200 p-3">
        {session.error && <p className="text-sm text-red-700">Stopped with an error: {session.error}</p>}
        {session.summary && (
          <p className="text-sm text-slate-800">
            <span className="font-medium">Summary:</span> {session.summary}
          </p>
        )}
        <ol className="space-y-1.5">
          {session.transcript.map((entry, index) => (
            <li key={index}>
              <TranscriptEntry entry={entry} />
            </li>
          ))}
        </ol>
        {session.transcript.length === 0 && <p className="text-sm text-slate-500">No messages yet.</p>}
      </div>
    </details>
  );
}

function TranscriptEntry({ entry }: { entry: TranscriptEntryDto }) {
  if (entry.kind === "text") {
    return (
      <div className={cx("rounded-md px-2 py-1.5 text-sm", entry.role === "assistant" ? "bg-indigo-50 text-slate-900" : "bg-slate-50 text-slate-800")}>
        <p className="text-xs font-medium text-slate-600">{entry.role === "assistant" ? "agent" : "factory"}</p>
        <p className="whitespace-pre-wrap">{entry.text}</p>
        {entry.untrusted.length > 0 && (
          <div className="mt-1 space-y-1">
            {entry.untrusted.map((block, index) => (
              <UntrustedBlock key={index} source={block.source} text={block.text} />
            ))}
          </div>
        )}
      </div>
    );
  }
  if (entry.kind === "tool-call") {
    return (
      <details data-testid="tool-call" className="rounded-md border border-slate-200 text-xs">
        <summary className="cursor-pointer px-2 py-1 font-mono text-slate-800 select-none">→ {entry.tool}</summary>
        <pre className="overflow-x-auto border-t border-slate-200 px-2 py-1 font-mono whitespace-pre-wrap text-slate-800">{entry.input}</pre>
      </details>
    );
  }
  return (
    <details data-testid="tool-result" className={cx("rounded-md border text-xs", entry.isError ? "border-red-300" : "border-dashed border-amber-400")}>
      <summary className="cursor-pointer px-2 py-1 font-mono text-slate-800 select-none">
        ← {entry.tool} {entry.isError ? <span className="text-red-700">error</span> : <span className="rounded bg-amber-100 px-1 font-sans font-semibold text-amber-900">untrusted</span>}{" "}
        <span className="font-sans text-slate-600">({formatTokens(entry.output.length)} chars)</span>
      </summary>
      <pre tabIndex={0} className="max-h-80 overflow-auto border-t border-slate-200 px-2 py-1 font-mono whitespace-pre-wrap text-slate-800">{entry.output}</pre>
    </details>
  );
}

/** Text that came from outside the factory (repository files, command output, review comments), shown as data: marked, monospaced, never rendered as markup. */
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
