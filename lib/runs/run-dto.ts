// The JSON shapes the REST API and SSE stream send to browsers. Money is in USD as numbers.
import type { AgentRole, FailToPass, PullRequestState, ReviewVerdict, RunStatus, SessionStatus, StopReason, TaskStatus, TestOutcome } from "@/lib/generated/prisma/enums";

export type RunSummaryDto = {
  id: string;
  title: string;
  repository: string | null; // "owner/name"
  status: RunStatus;
  budgetUsd: number;
  spentUsd: number;
  reservedUsd: number;
  /** Spent answering human reviews, each within its own follow-up budget: on top of spentUsd, never against budgetUsd. */
  followUpSpentUsd: number;
  createdAt: string; // ISO
  startedAt: string | null;
  finishedAt: string | null;
  url: string; // absolute link to the run page
  /** Pull requests the run opened, and how many of them merged: the outcome teams pay for. */
  pullRequests: { opened: number; merged: number };
};

/** One agent session of a task: a cell of the task's lane (iteration x role). */
export type TaskSessionDto = {
  id: string;
  role: AgentRole;
  iteration: number;
  model: string;
  status: SessionStatus;
  stopReason: StopReason | null;
  /** The best-of-N attempt this session worked (coder) or judged (reviewer); null otherwise. */
  attempt: number | null;
  costUsd: number;
  startedAt: string;
  finishedAt: string | null;
};

/** What one iteration of a task measured: a point of its convergence chart. */
export type TaskIterationPointDto = {
  iteration: number;
  testOutcome: TestOutcome;
  testsFailed: number | null;
  reviewVerdict: ReviewVerdict | null;
  reviewFindings: number | null;
  /** The task's agent cost up to and including this iteration, USD. */
  cumulativeCostUsd: number;
};

/** The convergence record of one task iteration (TaskIteration), as the run-detail API returns it. */
export type TaskIterationDto = {
  iteration: number;
  headSha: string | null;
  testOutcome: TestOutcome;
  testsPassed: number | null;
  testsFailed: number | null;
  /** Failing tests; isNew is false for failures that also fail on the base commit. */
  failingTests: { name: string; message: string; location: string | null; isNew: boolean }[];
  preexistingFailures: number;
  failToPass: FailToPass;
  reviewVerdict: ReviewVerdict | null;
  reviewFindings: number | null;
  /** success | failure | timed_out | none; null when CI was not read. */
  ciConclusion: string | null;
  /** Role -> USD spent in this iteration. */
  costByRole: Record<string, number>;
};

/** One best-of-N coder attempt of a task, as its task.attempts event recorded it. */
export type TaskAttemptDto = {
  attempt: number;
  model: string;
  branch: string;
  /** Its coder session, and the reviewer judging it when the checks tied. */
  costUsd: number;
  stopReason: string | null;
  testResult: TestOutcome | null;
  newFailures: number | null;
  failToPass: FailToPass | null;
  verdict: ReviewVerdict | null;
  diffLines: number | null;
  outcome: "won" | "lost" | "unfinished";
};

/** Where a role moved up its model ladder, and what it cost before and after. */
export type ModelEscalationDto = {
  taskKey: string;
  role: AgentRole;
  from: string;
  to: string;
  iteration: number;
  /** The task's cost when it escalated. */
  taskCostBeforeUsd: number;
  /** What the role's sessions on the new model have cost since. */
  costAfterUsd: number;
};

export type TaskDto = {
  key: string;
  title: string;
  status: TaskStatus;
  /** The iteration in progress or last reached: a running iteration-1 reviewer counts as 1. */
  iteration: number;
  sessions: TaskSessionDto[];
  convergence: TaskIterationPointDto[];
  iterations: TaskIterationDto[];
  costUsd: number;
  branch: string | null;
  pullRequest: { number: number; url: string; state: PullRequestState } | null;
  /** Best-of-N coder attempts of the first pass; empty when one coder ran. */
  attempts: TaskAttemptDto[];
};

export type RunDetailDto = RunSummaryDto & {
  spec: string;
  /** Role -> "provider:model" the run starts each role on. */
  models: Record<string, string>;
  /** Roles with several models: the coder's attempts take them in turn, other roles climb them. */
  modelLadders: Record<string, string[]>;
  /** Coder attempts per task (the run's, else the repository's default). */
  coderAttempts: number;
  /** Iterations without converging before a role moves up its ladder. */
  escalateAfter: number;
  escalations: ModelEscalationDto[];
  maxIterations: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  tasks: TaskDto[];
  eventsCount: number;
  summary: string | null;
  error: string | null;
};

/** Run fields that change as events arrive, sent along with each streamed event. */
export type RunProgressDto = Pick<RunDetailDto, "status" | "spentUsd" | "reservedUsd" | "tokens" | "error" | "finishedAt">;

export type RunEventDto = {
  id: number;
  runId: string;
  type: string;
  payload: unknown;
  costDeltaUsd: number;
  createdAt: string;
  run: RunProgressDto;
};

export type RunListDto = { runs: RunSummaryDto[]; nextCursor: string | null };

export type CreateRunResponseDto = { id: string; url: string };

/** Error body of every failing API call. */
export type ApiErrorDto = {
  error: { code: string; message: string; details?: { fields?: { field: string; message: string }[] } };
};
