import type { Prisma } from "@/lib/generated/prisma/client";
import { publicUrl } from "@/lib/env";
import type { AgentRole, FailToPass, ReviewVerdict, TestOutcome } from "@/lib/generated/prisma/enums";
import type { ModelEscalationDto, RunDetailDto, RunProgressDto, RunSummaryDto, TaskAttemptDto, TaskDto, TaskIterationDto, TaskIterationPointDto } from "./run-dto";

export const runSummarySelect = {
  id: true,
  title: true,
  status: true,
  budgetUsd: true,
  spentUsd: true,
  reservedUsd: true,
  followUpSpentUsd: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  repository: { select: { owner: true, name: true } },
  pullRequests: { select: { state: true } },
} satisfies Prisma.RunSelect;

export const runProgressSelect = {
  status: true,
  spentUsd: true,
  reservedUsd: true,
  inputTokens: true,
  outputTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  error: true,
  finishedAt: true,
} satisfies Prisma.RunSelect;

type RunSummaryRow = Prisma.RunGetPayload<{ select: typeof runSummarySelect }>;
type RunProgressRow = Prisma.RunGetPayload<{ select: typeof runProgressSelect }>;

export const runPageUrl = (runId: string) => `${publicUrl()}/runs/${runId}`;

export function toRunSummaryDto(run: RunSummaryRow): RunSummaryDto {
  return {
    id: run.id,
    title: run.title,
    repository: run.repository ? `${run.repository.owner}/${run.repository.name}` : null,
    status: run.status,
    budgetUsd: run.budgetUsd.toNumber(),
    spentUsd: run.spentUsd.toNumber(),
    reservedUsd: run.reservedUsd.toNumber(),
    followUpSpentUsd: run.followUpSpentUsd.toNumber(),
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    url: runPageUrl(run.id),
    pullRequests: { opened: run.pullRequests.length, merged: run.pullRequests.filter((pr) => pr.state === "merged").length },
  };
}

export function toRunProgressDto(run: RunProgressRow): RunProgressDto {
  return {
    status: run.status,
    spentUsd: run.spentUsd.toNumber(),
    reservedUsd: run.reservedUsd.toNumber(),
    tokens: { input: run.inputTokens, output: run.outputTokens, cacheRead: run.cacheReadTokens, cacheWrite: run.cacheWriteTokens },
    error: run.error,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export const runDetailSelect = {
  ...runSummarySelect,
  ...runProgressSelect,
  spec: true,
  models: true,
  coderAttempts: true,
  escalateAfter: true,
  repository: { select: { owner: true, name: true, coderAttempts: true } },
  // Best-of-N outcomes and escalations are recorded as events; the detail reads them back.
  events: { where: { type: { in: ["task.attempts", "model.escalated"] } }, orderBy: { seq: "asc" }, select: { type: true, payload: true } },
  maxIterations: true,
  summary: true,
  lastEventSeq: true,
  tasks: {
    orderBy: { createdAt: "asc" },
    select: {
      key: true,
      title: true,
      status: true,
      iteration: true,
      costUsd: true,
      branch: true,
      pullRequest: { select: { number: true, url: true, state: true } },
      sessions: {
        where: { followUpId: null },
        orderBy: { startedAt: "asc" },
        select: { id: true, role: true, iteration: true, model: true, status: true, stopReason: true, attempt: true, costUsd: true, startedAt: true, finishedAt: true },
      },
      iterations: {
        orderBy: { iteration: "asc" },
        select: {
          iteration: true, headSha: true, testOutcome: true, testsPassed: true, testsFailed: true, failingTests: true, preexistingFailures: true,
          failToPass: true, reviewVerdict: true, reviewFindings: true, ciConclusion: true, costByRole: true,
        },
      },
    },
  },
} satisfies Prisma.RunSelect;

type RunDetailRow = Prisma.RunGetPayload<{ select: typeof runDetailSelect }>;

export function toRunDetailDto(run: RunDetailRow): RunDetailDto {
  const { events, ...row } = run;
  const attemptsByTask = new Map(events.filter((event) => event.type === "task.attempts").map((event) => {
    const payload = event.payload as { taskKey?: string; attempts?: Record<string, unknown>[] };
    return [payload.taskKey ?? "", (payload.attempts ?? []).map(toTaskAttemptDto)] as const;
  }));
  return {
    ...toRunSummaryDto(row),
    ...toRunProgressDto(row),
    spec: run.spec,
    models: readModels(run.models),
    modelLadders: readModelLadders(run.models),
    coderAttempts: run.coderAttempts ?? run.repository?.coderAttempts ?? 1,
    escalateAfter: run.escalateAfter,
    escalations: readModelEscalations(events, run.tasks),
    maxIterations: run.maxIterations,
    summary: run.summary,
    eventsCount: run.lastEventSeq,
    tasks: run.tasks.map(
      (task): TaskDto => ({
        ...task,
        // Task.iteration is written when an iteration ends; a started session is further along.
        iteration: Math.max(task.iteration, ...task.sessions.map((session) => session.iteration)),
        costUsd: task.costUsd.toNumber(),
        pullRequest: task.pullRequest,
        sessions: task.sessions.map((session) => ({
          ...session,
          costUsd: session.costUsd.toNumber(),
          startedAt: session.startedAt.toISOString(),
          finishedAt: session.finishedAt?.toISOString() ?? null,
        })),
        convergence: toConvergencePoints(task.iterations),
        iterations: task.iterations.map(toTaskIterationDto),
        attempts: attemptsByTask.get(task.key) ?? [],
      }),
    ),
  };
}

function toTaskIterationDto(row: RunDetailRow["tasks"][number]["iterations"][number]): TaskIterationDto {
  const failingTests = Array.isArray(row.failingTests) ? (row.failingTests as TaskIterationDto["failingTests"]) : [];
  const costs = row.costByRole && typeof row.costByRole === "object" && !Array.isArray(row.costByRole) ? Object.entries(row.costByRole) : [];
  return { ...row, failingTests, costByRole: Object.fromEntries(costs.map(([role, cost]) => [role, Number(cost) || 0])) };
}

/** Role -> the model it starts on (a ladder's first). */
function readModels(value: Prisma.JsonValue): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).flatMap(([role, models]) => {
    const first = Array.isArray(models) ? models[0] : models;
    return typeof first === "string" ? [[role, first]] : [];
  }));
}

/** Roles with more than one model, in order. */
function readModelLadders(value: Prisma.JsonValue): Record<string, string[]> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 1));
}

function toTaskAttemptDto(attempt: Record<string, unknown>): TaskAttemptDto {
  const numberOrNull = (value: unknown) => (typeof value === "number" ? value : null);
  return {
    attempt: Number(attempt.attempt),
    model: String(attempt.model ?? ""),
    branch: String(attempt.branch ?? ""),
    costUsd: Number(attempt.costUsd) || 0,
    stopReason: typeof attempt.stopReason === "string" ? attempt.stopReason : null,
    testResult: (attempt.testResult as TestOutcome | null) ?? null,
    newFailures: numberOrNull(attempt.newFailures),
    failToPass: (attempt.failToPass as FailToPass | null) ?? null,
    verdict: (attempt.verdict as ReviewVerdict | null) ?? null,
    diffLines: numberOrNull(attempt.diffLines),
    outcome: attempt.outcome === "won" || attempt.outcome === "lost" ? attempt.outcome : "unfinished",
  };
}

type EscalationTask = { key: string; sessions: { id: string; role: AgentRole; model: string; attempt: number | null; costUsd: Prisma.Decimal }[] };

/** A run's model.escalated events (oldest first) with what each escalation cost since (run page, Slack). */
export function readModelEscalations(events: { type: string; payload: Prisma.JsonValue }[], tasks: EscalationTask[]): ModelEscalationDto[] {
  return events.filter((event) => event.type === "model.escalated").map((event) => toModelEscalationDto(event.payload, tasks));
}

/** An escalation with what its role's sessions on the new model cost from then on (sessions oldest first). */
function toModelEscalationDto(value: Prisma.JsonValue, tasks: EscalationTask[]): ModelEscalationDto {
  const payload = value as { taskKey: string; role: AgentRole; from: string; to: string; iteration: number; taskCostUsd?: string; sessionId?: string };
  const sessions = tasks.find((task) => task.key === payload.taskKey)?.sessions ?? [];
  const start = sessions.findIndex((session) => session.id === payload.sessionId);
  const costAfterUsd = start < 0 ? 0 : sessions.slice(start)
    .filter((session) => session.role === payload.role && session.model === payload.to && session.attempt === null)
    .reduce((sum, session) => sum + session.costUsd.toNumber(), 0);
  return {
    taskKey: payload.taskKey, role: payload.role, from: payload.from, to: payload.to, iteration: payload.iteration,
    taskCostBeforeUsd: Number(payload.taskCostUsd) || 0, costAfterUsd,
  };
}

/** Iteration rows as chart points, with the cost summed from each iteration's cost by role. */
export function toConvergencePoints(
  iterations: { iteration: number; testOutcome: TestOutcome; testsFailed: number | null; reviewVerdict: ReviewVerdict | null; reviewFindings: number | null; costByRole: Prisma.JsonValue }[],
): TaskIterationPointDto[] {
  let cumulativeCostUsd = 0;
  return iterations.map((row) => {
    const costs = row.costByRole && typeof row.costByRole === "object" && !Array.isArray(row.costByRole) ? Object.values(row.costByRole) : [];
    cumulativeCostUsd += costs.reduce<number>((sum, cost) => sum + (Number(cost) || 0), 0);
    const { iteration, testOutcome, testsFailed, reviewVerdict, reviewFindings } = row;
    return { iteration, testOutcome, testsFailed, reviewVerdict, reviewFindings, cumulativeCostUsd };
  });
}
