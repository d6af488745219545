// The task page: per iteration, what changed, what the tests and CI said, what the reviewer
// said and where, what the fixer was told, and what each role cost. Server-rendered.
import Link from "next/link";
import type { TaskDetailDto, TaskIterationDetailDto } from "@/lib/runs/get-task-detail-or-throw";
import { formatTokens, formatUsd } from "@/lib/client/format";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardHeader, DataTable } from "@/components/ui/card";
import { RunStatusBadge } from "@/components/runs/run-status";
import { ConvergenceChart } from "@/components/runs/task-lanes";
import { SessionTranscript, UntrustedBlock } from "./session-transcript";
import { TaskDiff } from "./task-diff";
import { TaskLive } from "./task-live";

const OUTCOME_TONES: Record<string, BadgeTone> = { passed: "success", failed: "danger", not_run: "neutral", proven: "success", not_proven: "warning", approve: "success", request_changes: "warning", comment: "info", success: "success", failure: "danger" };

export function TaskView({ detail }: { detail: TaskDetailDto }) {
  const { run, task } = detail;
  const newestFirst = [...detail.iterations].reverse();
  return (
    <div className="space-y-4">
      <div>
        <p className="text-xs text-slate-500">
          <Link href="/" className="hover:text-slate-800">Runs</Link>
          <span aria-hidden> / </span>
          <Link href={`/runs/${run.id}`} className="hover:text-slate-800">{run.title}</Link>
          <span aria-hidden> / </span>
          <span className="font-mono">{task.key}</span>
        </p>
        <h1 data-testid="task-title" className="mt-1 text-xl font-semibold tracking-tight break-words text-slate-900">{task.title}</h1>
        <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
          <RunStatusBadge status={task.status} testId="task-status" />
          <span data-testid="task-iteration">iteration {task.iteration} / {run.maxIterations}</span>
          <span data-testid="task-cost" className="font-mono">{formatUsd(task.costUsd)}</span>
          {task.branch && <span className="font-mono text-xs break-all">{task.branch}</span>}
          {task.pullRequest ? (
            <a data-testid="task-pr" href={task.pullRequest.url} target="_blank" rel="noopener noreferrer" className="font-medium text-accent-700 hover:underline">
              PR #{task.pullRequest.number} <span className="font-normal text-slate-600">({task.pullRequest.state})</span>
            </a>
          ) : (
            <span data-testid="task-pr">no pull request yet</span>
          )}
        </p>
        {task.error && <p role="alert" className="mt-2 text-sm text-red-700">{task.error}</p>}
      </div>

      <TaskLive runId={run.id} taskKey={task.key} runStatus={run.status} />

      <Card aria-labelledby="convergence-heading">
        <CardHeader id="convergence-heading" title="Convergence" />
        <div className="p-4">
          <ConvergenceChart points={detail.convergence} taskKey={task.key} />
        </div>
      </Card>

      <details className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <summary className="cursor-pointer px-4 py-2.5 text-sm font-semibold text-slate-900 select-none">Task and acceptance criteria</summary>
        <div className="space-y-2 border-t border-slate-200 px-4 py-3 text-sm text-slate-800">
          <p className="whitespace-pre-wrap">{task.description}</p>
          <ul className="list-disc pl-5">
            {task.acceptanceCriteria.map((criterion) => <li key={criterion}>{criterion}</li>)}
          </ul>
        </div>
      </details>

      {newestFirst.length === 0 ? (
        <Card className="p-8 text-center text-sm text-slate-500">No agent has worked on this task yet.</Card>
      ) : (
        newestFirst.map((iteration, index) => <IterationSection key={iteration.iteration} iteration={iteration} isLatest={index === 0} />)
      )}
    </div>
  );
}

function IterationSection({ iteration, isLatest }: { iteration: TaskIterationDetailDto; isLatest: boolean }) {
  const title = `Iteration ${iteration.iteration}`;
  const fixer = iteration.sessions.find((session) => session.role === "fixer");
  const cost = iteration.sessions.reduce((sum, session) => sum + session.costUsd, 0);
  return (
    <section aria-labelledby={`iteration-${iteration.iteration}`} data-testid={`iteration-${iteration.iteration}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2.5">
        <h2 id={`iteration-${iteration.iteration}`} className="text-sm font-semibold text-slate-900">{title}</h2>
        {iteration.measured && <Badge tone={OUTCOME_TONES[iteration.measured.testOutcome]}>tests {iteration.measured.testOutcome.replace("_", " ")}</Badge>}
        {iteration.review && <Badge tone={OUTCOME_TONES[iteration.review.verdict]}>review: {iteration.review.verdict.replace("_", " ")}</Badge>}
        {iteration.measured?.ciConclusion && <Badge tone={OUTCOME_TONES[iteration.measured.ciConclusion] ?? "neutral"}>CI {iteration.measured.ciConclusion}</Badge>}
        <span className="ml-auto font-mono text-xs text-slate-700">{formatUsd(cost)}</span>
      </div>
      <div className="space-y-4 p-4">
        <TestsPanel iteration={iteration} />
        {iteration.review && (
          <div data-testid={`review-${iteration.iteration}`}>
            <h3 className="text-sm font-semibold text-slate-900">Review</h3>
            {iteration.review.body && <p className="mt-1 text-sm whitespace-pre-wrap text-slate-800">{iteration.review.body}</p>}
            <p className="mt-1 text-xs text-slate-600">{iteration.review.comments.length} comment(s) on lines</p>
          </div>
        )}
        {iteration.diff !== null && (
          <div>
            <h3 className="mb-1 text-sm font-semibold text-slate-900">Diff under review</h3>
            <TaskDiff diff={iteration.diff} comments={iteration.review?.comments ?? []} testId={`diff-${iteration.iteration}`} />
          </div>
        )}
        {fixer && fixer.inputs.length > 0 && (
          <div data-testid={`fixer-feedback-${iteration.iteration}`}>
            <h3 className="mb-1 text-sm font-semibold text-slate-900">What the fixer was told</h3>
            <div className="space-y-1">
              {fixer.inputs.map((block, index) => <UntrustedBlock key={index} source={block.source} text={block.text} isOpen={isLatest} />)}
            </div>
          </div>
        )}
        <CostTable iteration={iteration} />
        <div>
          <h3 className="mb-1 text-sm font-semibold text-slate-900">Sessions</h3>
          <div className="space-y-1.5">
            {iteration.sessions.map((session) => <SessionTranscript key={session.id} session={session} />)}
            {iteration.sessions.length === 0 && <p className="text-sm text-slate-500">No session in this iteration yet.</p>}
          </div>
        </div>
      </div>
    </section>
  );
}

function TestsPanel({ iteration }: { iteration: TaskIterationDetailDto }) {
  const measured = iteration.measured;
  return (
    <div data-testid={`tests-${iteration.iteration}`}>
      <h3 className="text-sm font-semibold text-slate-900">Tests</h3>
      {measured ? (
        <>
          <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-800">
            <div><dt className="inline text-slate-600">passed </dt><dd className="inline tabular-nums">{measured.testsPassed ?? "—"}</dd></div>
            <div><dt className="inline text-slate-600">failed </dt><dd className="inline tabular-nums">{measured.testsFailed ?? "—"}</dd></div>
            <div><dt className="inline text-slate-600">failing on the base too </dt><dd className="inline tabular-nums">{measured.preexistingFailures}</dd></div>
            <div><dt className="inline text-slate-600">fail-to-pass </dt><dd className="inline"><Badge tone={OUTCOME_TONES[measured.failToPass]}>{measured.failToPass.replace("_", " ")}</Badge></dd></div>
            <div><dt className="inline text-slate-600">CI </dt><dd className="inline">{measured.ciConclusion ?? "not read"}</dd></div>
          </dl>
          {measured.failingTests.length > 0 && (
            <ul data-testid={`failing-tests-${iteration.iteration}`} className="mt-2 space-y-1">
              {measured.failingTests.map((test, index) => (
                <li key={index} className="rounded-md border border-red-200 bg-red-50 px-2 py-1 text-xs">
                  <p className="font-mono font-medium text-red-900">
                    {test.name}
                    {test.location && <span className="font-normal text-slate-600"> · {test.location}</span>}
                    {test.isNew && <span className="ml-1 font-sans text-slate-600">(new test)</span>}
                  </p>
                  {test.message && <pre className="mt-0.5 font-mono whitespace-pre-wrap text-slate-800">{test.message}</pre>}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-600">Not measured yet.</p>
      )}
      {iteration.testOutput && <div className="mt-2"><UntrustedBlock source="test-results" text={iteration.testOutput} /></div>}
    </div>
  );
}

const COST_COLUMNS = ["Role", "Model", ...["Input", "Cache read", "Output", "Cost"].map((label) => ({ label, className: "text-right" }))];

function CostTable({ iteration }: { iteration: TaskIterationDetailDto }) {
  if (iteration.sessions.length === 0) return null;
  return (
    <DataTable
      data-testid={`cost-${iteration.iteration}`}
      isCompact
      caption={<caption className="mb-1 text-left text-sm font-semibold text-slate-900">Cost and tokens by role</caption>}
      columns={COST_COLUMNS}
    >
      {iteration.sessions.map((session) => (
        <tr key={session.id} data-testid={`cost-row-${session.role}`}>
          <td className="py-1 pr-3">{session.role}</td>
          <td className="py-1 pr-3 font-mono">{session.model}</td>
          <td className="py-1 pr-3 text-right tabular-nums">{formatTokens(session.tokens.input)}</td>
          <td className="py-1 pr-3 text-right tabular-nums">{formatTokens(session.tokens.cacheRead)}</td>
          <td className="py-1 pr-3 text-right tabular-nums">{formatTokens(session.tokens.output)}</td>
          <td className="py-1 text-right font-mono tabular-nums">{formatUsd(session.costUsd)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
