import type { RunDetailDto, RunStatus } from "../../lib/client/run-types";
import { formatUsd, formatUsdCents } from "../../lib/client/format";
import { cx } from "../../lib/client/cx";
import { Markdown } from "./markdown";

const OUTCOME_STYLES: Partial<Record<RunStatus, { headline: string; className: string }>> = {
  succeeded: { headline: "Succeeded", className: "border-emerald-200 bg-emerald-50 text-emerald-900" },
  failed: { headline: "Failed", className: "border-red-200 bg-red-50 text-red-900" },
  budget_exhausted: { headline: "Stopped: budget exhausted", className: "border-amber-200 bg-amber-50 text-amber-900" },
  cancelled: { headline: "Cancelled", className: "border-slate-200 bg-slate-100 text-slate-800" },
};

/** How the run ended, what it cost and what it produced; shown once the run is finished. */
export function RunOutcome({ run }: { run: RunDetailDto }) {
  const style = OUTCOME_STYLES[run.status];
  if (!style) {
    return run.error ? <ErrorBox message={run.error} /> : null;
  }
  const pullRequests = run.tasks.filter((task) => task.pullRequest).length;
  const tasksDone = run.tasks.filter((task) => task.status === "succeeded").length;
  return (
    <section aria-label="Outcome" className={cx("rounded-lg border px-4 py-3", style.className)}>
      <p className="text-sm">
        <span className="font-semibold">{style.headline}</span>
        <span className="opacity-80">
          {" · "}
          {formatUsd(run.spentUsd)} of {formatUsdCents(run.budgetUsd)}
          {run.tasks.length > 0 && ` · ${tasksDone} of ${run.tasks.length} tasks done`}
          {` · ${pullRequests} pull request${pullRequests === 1 ? "" : "s"}`}
        </span>
      </p>
      {run.error && <p className="mt-1 text-sm break-words">{run.error}</p>}
      {run.summary && (
        <div className="mt-2 rounded-md bg-white/70 p-3">
          <Markdown>{run.summary}</Markdown>
        </div>
      )}
    </section>
  );
}

function ErrorBox({ message }: { message: string }) {
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      {message}
    </p>
  );
}
