// The run event catalogue: every RunEvent.type the factory writes, each with its payload's zod
// schema. recordRunEvent validates on write; readers (run page, Slack report, describeRunEvent)
// parse with the same schemas instead of guessing. Browser-safe: zod and Prisma enums only.
// Objects are loose: a reader relies on the fields listed here, and a writer may add detail.
import { z } from "zod";
import { AgentRole, FollowUpStatus, TaskStatus } from "@/lib/generated/prisma/enums";

const decimalUsd = z.string().regex(/^-?\d+(\.\d+)?$/, { message: "must be a decimal string of US dollars" });
const nullableString = z.string().nullable();
const role = z.enum(AgentRole);

const runFinished = z.looseObject({ reason: nullableString, summary: nullableString.optional() });
const taskStatusChanged = z.looseObject({ taskKey: z.string(), iteration: z.number().int(), costUsd: decimalUsd, reason: nullableString });
const followUpFinished = z.looseObject({
  followUpId: z.string(), sourceKey: z.string(), author: z.string(), spentUsd: decimalUsd, budgetUsd: decimalUsd,
  reason: nullableString, testOutcome: nullableString, reviewVerdict: nullableString, replyUrl: nullableString,
});
const llmCall = z.looseObject({
  callId: z.string(), sessionId: nullableString, model: z.string(), costUsd: decimalUsd,
  inputTokens: z.number(), outputTokens: z.number(), latencyMs: z.number(), finishReason: nullableString,
  error: z.string().optional(), isChargedAtReservation: z.literal(true).optional(),
});
const sessionChunk = z.looseObject({ sessionId: z.string(), turns: z.number().int(), commit: nullableString, status: z.string(), stopReason: nullableString, error: nullableString });
const pullRequestClosed = z.looseObject({ pullRequestId: z.string(), number: z.number().int(), url: z.string(), costUsd: z.union([decimalUsd, z.number()]).optional(), mergeCommitSha: nullableString.optional() });
const notification = { notificationId: z.string(), channel: z.string() };
const reviewPosted = z.looseObject({ taskKey: z.string(), verdict: z.string(), url: z.string(), comments: z.number().int(), iteration: z.number().int().optional(), followUpId: z.string().optional() });

/** Payload of an `agent.tool` event: one workspace tool call, as the run page shows it live. */
const toolActivityPayload = z.object({
  sessionId: z.string(),
  role,
  taskKey: nullableString,
  iteration: z.number().int(),
  tool: z.string(),
  /** The path (file tools), pattern (search) or command (run_command), redacted and capped. */
  target: nullableString,
  /** run_command's exit code; null for other tools or when the command did not finish. */
  exitCode: z.number().int().nullable(),
  /** Failing tests the command's output reports ("3 failing", "Tests: 3 failed"), when it says. */
  failingTests: z.number().int().nullable(),
  /** The tool's error, first line, redacted; null on success. */
  error: nullableString,
  durationMs: z.number(),
  linesAdded: z.number().int(),
  linesRemoved: z.number().int(),
  changedFiles: z.number().int(),
});

export const runEventPayloadSchemas = {
  "run.created": z.looseObject({ repo: z.string(), budgetUsd: z.number(), maxIterations: z.number().int() }),
  "run.started": z.looseObject({}),
  "run.planned": z.looseObject({ tasks: z.array(z.looseObject({ key: z.string(), title: z.string(), dependsOn: z.array(z.string()) })), waves: z.array(z.array(z.string())) }),
  /** Written by cancelRun ({ by: "user" }) and by finishRun when a run ends cancelled ({ reason, summary }). */
  "run.cancelled": z.looseObject({ by: z.literal("user").optional(), reason: nullableString.optional(), summary: nullableString.optional() }),
  "run.succeeded": runFinished,
  "run.failed": runFinished,
  "run.budget_exhausted": runFinished,
  ...Object.fromEntries(Object.values(TaskStatus).map((status) => [`task.${status}`, taskStatusChanged])) as Record<`task.${TaskStatus}`, typeof taskStatusChanged>,
  "task.started": z.looseObject({ taskKey: z.string(), branch: z.string(), baseBranch: z.string(), dependsOn: z.array(z.string()) }),
  /** A user asked to work a failed task again (lib/tasks/retry-task.ts); the run is running again. */
  "task.retry_requested": z.looseObject({ taskKey: z.string(), previousStatus: z.string(), previousRunStatus: z.string(), previousError: nullableString, remainingUsd: decimalUsd, message: z.string() }),
  "task.tests": z.looseObject({ taskKey: z.string(), iteration: z.number().int(), testResult: z.string(), passed: z.number().int().nullable(), failed: z.number().int().nullable(), isBlocking: z.boolean() }),
  "task.attempts.limited": z.looseObject({ taskKey: z.string(), requested: z.number().int(), running: z.number().int(), remainingUsd: decimalUsd, estimatePerAttemptUsd: decimalUsd, message: z.string() }),
  "task.attempts": z.looseObject({
    taskKey: z.string(), requested: z.number().int(), ran: z.number().int(), winner: z.number().int().nullable(), totalCostUsd: decimalUsd,
    attempts: z.array(z.looseObject({ attempt: z.number().int(), costUsd: z.union([decimalUsd, z.number()]), outcome: z.string() })), message: z.string(),
  }),
  "model.escalated": z.looseObject({
    taskKey: z.string(), role, from: z.string(), to: z.string(), iteration: z.number().int(), escalateAfter: z.number().int(),
    iterationsWithoutConverging: z.number().int(), sessionId: z.string(), taskCostUsd: decimalUsd, roleCostUsd: decimalUsd, message: z.string(),
  }),
  "agent.session.started": z.looseObject({ sessionId: z.string(), role, model: z.string(), taskId: nullableString, followUpId: nullableString, attempt: z.number().int().optional() }),
  "agent.session.chunk": sessionChunk,
  "agent.session.stopped": sessionChunk,
  "agent.tool": toolActivityPayload,
  "llm.call": llmCall,
  "llm.call.failed": llmCall,
  "llm.call.retry": z.looseObject({ sessionId: nullableString, model: z.string(), attempt: z.number().int(), delayMs: z.number(), reason: z.string() }),
  "llm.call.abandoned": z.looseObject({ callId: z.string(), sessionId: nullableString, model: z.string(), costUsd: z.union([decimalUsd, z.number()]), isChargedAtReservation: z.literal(true), error: z.string() }),
  "pull_request.opened": z.looseObject({ taskKey: z.string(), number: z.number().int(), url: z.string(), branch: z.string() }),
  "pull_request.ready": z.looseObject({ taskKey: z.string(), number: z.number().int(), url: z.string() }),
  "pull_request.merged": pullRequestClosed,
  "pull_request.closed": pullRequestClosed,
  "review.posted": reviewPosted,
  "review.addressed": z.looseObject({ taskKey: z.string(), followUpId: z.string(), author: z.string(), isDone: z.boolean(), url: z.string(), costUsd: decimalUsd, budgetUsd: decimalUsd }),
  "follow-up.queued": z.looseObject({ followUpId: z.string(), sourceKey: z.string(), author: z.string(), taskKey: nullableString, budgetUsd: decimalUsd }),
  "follow-up.started": z.looseObject({ followUpId: z.string() }),
  ...Object.fromEntries(Object.values(FollowUpStatus).filter((status) => status !== "queued" && status !== "running").map((status) => [`follow-up.${status}`, followUpFinished])) as Record<`follow-up.${Exclude<FollowUpStatus, "queued" | "running">}`, typeof followUpFinished>,
  "notification.delivered": z.looseObject({ ...notification, attempt: z.number().int() }),
  "notification.failed": z.looseObject({ ...notification, attempt: z.number().int(), error: z.string(), statusCode: z.number().int().nullable(), isRetryable: z.boolean() }),
  "notification.skipped": z.looseObject({ ...notification, reason: z.string() }),
};

/** Every RunEvent.type the factory writes. */
export type RunEventType = keyof typeof runEventPayloadSchemas;
export type RunEventPayload<T extends RunEventType> = z.infer<(typeof runEventPayloadSchemas)[T]>;
/** A typed event: the payload that goes with its type. */
export type TypedRunEvent = { [T in RunEventType]: { type: T; payload: RunEventPayload<T> } }[RunEventType];

function isRunEventType(type: string): type is RunEventType {
  return Object.hasOwn(runEventPayloadSchemas, type);
}

/** A stored event's payload read through its type's schema; null for an unknown type or a payload that does not match. */
export function parseRunEvent(event: { type: string; payload: unknown }): TypedRunEvent | null {
  if (!isRunEventType(event.type)) return null;
  const parsed = runEventPayloadSchemas[event.type].safeParse(event.payload);
  return parsed.success ? ({ type: event.type, payload: parsed.data } as TypedRunEvent) : null;
}
