// Everything the task page shows, per iteration: what the reviewer saw (diff, test output),
// what it said (verdict, comments at lines), what the fixer was fed, what each role cost, and
// the sessions' transcripts. All from the database: the diff is the one in the reviewer's own
// task message, so comments line up with it and no GitHub call is made per page view.
import type { ModelMessage } from "ai";
import type { FailToPass, PullRequestState, ReviewVerdict, RunStatus, TaskStatus, TestOutcome } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readDisplayableTranscript } from "@/lib/agents/transcript";
import { redactSecrets } from "@/lib/redact";
import type { TaskIterationPointDto, TaskSessionDto } from "./run-dto";
import { toConvergencePoints } from "./to-run-dto";

/** A block of text the session received from outside (repository, tests, reviews): data, not instructions. */
export type UntrustedBlockDto = { source: string; text: string };

export type TranscriptEntryDto =
  | { kind: "text"; role: "user" | "assistant"; text: string; untrusted: UntrustedBlockDto[] }
  | { kind: "tool-call"; tool: string; input: string }
  | { kind: "tool-result"; tool: string; output: string; isError: boolean };

export type TaskSessionDetailDto = Omit<TaskSessionDto, "attempt" | "startedAt" | "finishedAt"> & {
  error: string | null;
  turns: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  /** The session's result: finish summary or submitted review. */
  summary: string | null;
  /** Untrusted blocks of the session's first message (diff, test output, review feedback). */
  inputs: UntrustedBlockDto[];
  transcript: TranscriptEntryDto[];
  submittedReview: { verdict: ReviewVerdict; body: string; comments: { path: string; line: number; body: string }[] } | null;
};

export type FailingTestDto = { name: string; message: string | null; location: string | null; isNew: boolean | null };

export type TaskIterationDetailDto = {
  iteration: number;
  measured: {
    headSha: string | null;
    testOutcome: TestOutcome;
    testsPassed: number | null;
    testsFailed: number | null;
    failingTests: FailingTestDto[];
    preexistingFailures: number;
    failToPass: FailToPass;
    ciConclusion: string | null;
    reviewVerdict: ReviewVerdict | null;
    reviewFindings: number | null;
    costByRole: Record<string, number>;
  } | null;
  review: { verdict: ReviewVerdict; body: string; comments: { path: string; line: number; body: string }[] } | null;
  /** The diff the reviewer reviewed (base...head of this iteration). */
  diff: string | null;
  /** What the tests printed, as the reviewer and fixer saw it. */
  testOutput: string | null;
  sessions: TaskSessionDetailDto[];
};

export type TaskDetailDto = {
  run: { id: string; title: string; status: RunStatus; maxIterations: number; repository: string | null };
  task: {
    key: string;
    title: string;
    description: string;
    acceptanceCriteria: string[];
    status: TaskStatus;
    iteration: number;
    branch: string | null;
    baseBranch: string | null;
    costUsd: number;
    error: string | null;
    pullRequest: { number: number; url: string; state: PullRequestState; headSha: string | null } | null;
  };
  convergence: TaskIterationPointDto[];
  /** The loop's iterations, 1..n (the coder and tester work in iteration 1); oldest first. */
  iterations: TaskIterationDetailDto[];
};

const maxEntryChars = 4_000;
const maxTranscriptEntries = 400;

export async function getTaskDetailOrThrow(options: { runId: string; key: string }): Promise<TaskDetailDto> {
  const task = await db.task.findUnique({
    where: { runId_key: { runId: options.runId, key: options.key } },
    include: {
      run: { select: { id: true, title: true, status: true, maxIterations: true, repository: { select: { owner: true, name: true } } } },
      pullRequest: { select: { number: true, url: true, state: true, headSha: true, reviews: { where: { source: "factory" }, orderBy: { createdAt: "asc" } } } },
      iterations: { orderBy: { iteration: "asc" } },
      sessions: { where: { followUpId: null }, orderBy: { startedAt: "asc" } },
    },
  });
  if (!task) throw new AppError("not_found", `Task ${options.key} not found in run ${options.runId}`);

  const sessions = task.sessions.map(toSessionDetail);
  const lastIteration = Math.max(task.iteration, ...task.sessions.map((session) => session.iteration), ...task.iterations.map((row) => row.iteration));
  const iterations: TaskIterationDetailDto[] = [];
  for (let iteration = 0; iteration <= lastIteration; iteration++) {
    const ofIteration = sessions.filter((session) => session.iteration === iteration);
    const reviewer = ofIteration.find((session) => session.role === "reviewer");
    const fixer = ofIteration.find((session) => session.role === "fixer");
    const row = task.iterations.find((candidate) => candidate.iteration === iteration);
    if (iteration === 0 && ofIteration.length === 0 && !row) continue; // the coder works in iteration 1
    const review = task.pullRequest?.reviews.filter((candidate) => candidate.iteration === iteration).at(-1);
    iterations.push({
      iteration,
      measured: row
        ? {
            headSha: row.headSha,
            testOutcome: row.testOutcome,
            testsPassed: row.testsPassed,
            testsFailed: row.testsFailed,
            failingTests: readFailingTests(row.failingTests),
            preexistingFailures: row.preexistingFailures,
            failToPass: row.failToPass,
            ciConclusion: row.ciConclusion,
            reviewVerdict: row.reviewVerdict,
            reviewFindings: row.reviewFindings,
            costByRole: readCostByRole(row.costByRole),
          }
        : null,
      review: review ? { verdict: review.verdict, body: redactSecrets(review.body), comments: readComments(review.comments) } : readSubmittedReview(reviewer),
      diff: reviewer?.inputs.find((block) => block.source === "diff")?.text ?? null,
      testOutput: (reviewer ?? fixer)?.inputs.find((block) => block.source === "test-results" || block.source === "test-output")?.text ?? null,
      sessions: ofIteration,
    });
  }

  return {
    run: { id: task.run.id, title: task.run.title, status: task.run.status, maxIterations: task.run.maxIterations, repository: task.run.repository ? `${task.run.repository.owner}/${task.run.repository.name}` : null },
    task: {
      key: task.key,
      title: task.title,
      description: task.description,
      acceptanceCriteria: task.acceptanceCriteria,
      status: task.status,
      iteration: lastIteration,
      branch: task.branch,
      baseBranch: task.baseBranch,
      costUsd: task.costUsd.toNumber(),
      error: task.error,
      pullRequest: task.pullRequest ? { number: task.pullRequest.number, url: task.pullRequest.url, state: task.pullRequest.state, headSha: task.pullRequest.headSha } : null,
    },
    convergence: toConvergencePoints(task.iterations),
    iterations,
  };
}

type SessionRow = Prisma.AgentSessionGetPayload<object>;

function toSessionDetail(session: SessionRow): TaskSessionDetailDto {
  const messages = readDisplayableTranscript(session.transcript);
  const first = messages[0];
  const inputs = first?.role === "user" && typeof first.content === "string" ? readUntrustedBlocks(first.content).filter((block) => block.source !== "task") : [];
  return {
    id: session.id,
    role: session.role,
    iteration: session.iteration,
    model: session.model,
    status: session.status,
    stopReason: session.stopReason,
    error: session.error ? redactSecrets(session.error) : null,
    turns: session.turns,
    tokens: { input: session.inputTokens, output: session.outputTokens, cacheRead: session.cacheReadTokens, cacheWrite: session.cacheWriteTokens },
    costUsd: session.costUsd.toNumber(),
    summary: readSummary(session.result),
    inputs,
    transcript: messages.slice(-maxTranscriptEntries).flatMap(toTranscriptEntries),
    submittedReview: toSubmittedReview(session),
  };
}

const untrustedBlockPattern = /<untrusted-data source="([^"]*)">\n([\s\S]*?)\n<\/untrusted-data>/g;

/** The blocks lib/agents/transcript.ts wrapped, unwrapped for display (still shown as untrusted). */
export function readUntrustedBlocks(text: string): UntrustedBlockDto[] {
  return [...text.matchAll(untrustedBlockPattern)].map((match) => ({
    source: match[1],
    text: redactSecrets(match[2].replace(/&lt;(\/?untrusted-data)/gi, "<$1")),
  }));
}

function toTranscriptEntries(message: ModelMessage): TranscriptEntryDto[] {
  if (message.role === "system") return [];
  if (typeof message.content === "string") {
    const untrusted = message.role === "user" ? readUntrustedBlocks(message.content) : [];
    const text = untrusted.length ? message.content.replace(untrustedBlockPattern, (_match, source: string) => `[untrusted ${source}, shown below]`) : message.content;
    return [{ kind: "text", role: message.role === "assistant" ? "assistant" : "user", text: cap(redactSecrets(text)), untrusted: untrusted.map((block) => ({ ...block, text: cap(block.text) })) }];
  }
  const entries: TranscriptEntryDto[] = [];
  for (const part of message.content as Array<Record<string, unknown>>) {
    if (part.type === "text" && typeof part.text === "string" && part.text.trim()) {
      entries.push({ kind: "text", role: message.role === "assistant" ? "assistant" : "user", text: cap(redactSecrets(part.text)), untrusted: [] });
    } else if (part.type === "tool-call") {
      entries.push({ kind: "tool-call", tool: String(part.toolName), input: cap(redactSecrets(JSON.stringify(part.input ?? part.args ?? {}, null, 2))) });
    } else if (part.type === "tool-result") {
      const output = part.output as { type?: string; value?: unknown } | undefined;
      const value = typeof output?.value === "string" ? output.value : JSON.stringify(output?.value ?? part.result ?? "");
      entries.push({ kind: "tool-result", tool: String(part.toolName), output: cap(redactSecrets(value)), isError: output?.type === "error-text" || output?.type === "error-json" });
    }
  }
  return entries;
}

function readSummary(result: Prisma.JsonValue | null): string | null {
  if (!result || typeof result !== "object" || Array.isArray(result)) return null;
  const summary = (result as Record<string, unknown>).summary;
  return typeof summary === "string" ? redactSecrets(summary) : null;
}

/** A review the reviewer submitted but that is not (yet) posted to GitHub. */
function readSubmittedReview(reviewer: TaskSessionDetailDto | undefined): TaskIterationDetailDto["review"] {
  return reviewer?.submittedReview ?? null;
}

function toSubmittedReview(session: SessionRow): TaskIterationDetailDto["review"] {
  const result = session.result as Record<string, unknown> | null;
  if (session.role !== "reviewer" || !result || (result.verdict !== "approve" && result.verdict !== "request_changes")) return null;
  return { verdict: result.verdict, body: typeof result.summary === "string" ? redactSecrets(result.summary) : "", comments: readComments(result.comments as Prisma.JsonValue) };
}

function readComments(value: Prisma.JsonValue): { path: string; line: number; body: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const comment = item as Record<string, unknown> | null;
    return comment && typeof comment.path === "string" && typeof comment.line === "number" && typeof comment.body === "string"
      ? [{ path: comment.path, line: comment.line, body: redactSecrets(comment.body) }]
      : [];
  });
}

function readFailingTests(value: Prisma.JsonValue): FailingTestDto[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const test = item as Record<string, unknown> | null;
    if (!test || typeof test.name !== "string") return [];
    return [{
      name: redactSecrets(test.name),
      message: typeof test.message === "string" ? cap(redactSecrets(test.message)) : null,
      location: typeof test.location === "string" ? test.location : null,
      isNew: typeof test.isNew === "boolean" ? test.isNew : null,
    }];
  });
}

function readCostByRole(value: Prisma.JsonValue): Record<string, number> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([role, cost]) => [role, Number(cost) || 0]));
}

function cap(text: string) {
  return text.length > maxEntryChars ? `${text.slice(0, maxEntryChars)}\n… (${text.length - maxEntryChars} more characters)` : text;
}

/** Just what the tab title needs: the task's status and cost. Null when there is no such task. */
export async function getTaskHeadline(options: { runId: string; key: string }): Promise<{ status: TaskStatus; costUsd: number } | null> {
  const task = await db.task.findUnique({ where: { runId_key: { runId: options.runId, key: options.key } }, select: { status: true, costUsd: true } });
  return task ? { status: task.status, costUsd: task.costUsd.toNumber() } : null;
}
