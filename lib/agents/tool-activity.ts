// Agent activity, live: every workspace tool call becomes one compact `agent.tool` run event
// (role, task, iteration, tool, target, outcome, duration, lines changed), so the run page can
// show what each agent is doing as it happens. Observational only: a failure to record never
// fails the tool call or the session.
import { readFile } from "node:fs/promises";
import { diffLines } from "diff";
import { db } from "@/lib/db";
import { redactSecrets } from "@/lib/redact";
import { recordRunEvent } from "@/lib/runs/run-events";
import type { RunEventPayload, RunEventType } from "@/lib/runs/run-event-types";
import { resolveWorkspacePath } from "@/lib/agents/tools/workspace-path";
import type { WorkspaceToolName } from "./roles";
import type { WorkspaceToolResult } from "./workspace-toolkit";

const toolActivityEventType = "agent.tool" satisfies RunEventType;

/** First characters of a path or command kept in the event; the rest is dropped. */
const toolTargetMaxChars = 200;

/** Payload of an `agent.tool` run event (its schema lives in the run event catalogue). */
export type ToolActivityPayload = RunEventPayload<"agent.tool">;

type SessionContext = Pick<ToolActivityPayload, "sessionId" | "role" | "taskKey" | "iteration"> & { runId: string };

// A session's role, task and iteration never change; one lookup per session per process.
const sessionContexts = new Map<string, Promise<SessionContext | null>>();
const maxCachedSessions = 500;

function loadSessionContext(sessionId: string): Promise<SessionContext | null> {
  let context = sessionContexts.get(sessionId);
  if (!context) {
    if (sessionContexts.size >= maxCachedSessions) sessionContexts.delete(sessionContexts.keys().next().value!);
    context = db.agentSession
      .findUnique({ where: { id: sessionId }, select: { runId: true, role: true, iteration: true, task: { select: { key: true } } } })
      .then((session) =>
        session ? { sessionId, runId: session.runId, role: session.role, iteration: session.iteration, taskKey: session.task?.key ?? null } : null,
      );
    sessionContexts.set(sessionId, context);
    context.catch(() => sessionContexts.delete(sessionId));
  }
  return context;
}

/**
 * Runs one workspace tool call and records what it did as an `agent.tool` event. Without a
 * session id (the benchmark, unit tests) it only runs the tool. Errors thrown by the tool are
 * recorded and rethrown unchanged.
 */
export async function trackToolActivity(
  options: { sessionId?: string; tool: WorkspaceToolName; input: unknown; workspace: string },
  runTool: () => Promise<WorkspaceToolResult>,
): Promise<WorkspaceToolResult> {
  if (!options.sessionId) return runTool();
  const args = isRecord(options.input) ? options.input : {};
  const before = options.tool === "write_file" ? await readWorkspaceFile(options.workspace, args.path) : null;
  const startedAt = performance.now();
  let result: WorkspaceToolResult | undefined;
  let thrown: unknown;
  try {
    result = await runTool();
    return result;
  } catch (error) {
    thrown = error;
    throw error;
  } finally {
    const durationMs = Math.round(performance.now() - startedAt);
    const after = options.tool === "write_file" && result && !result.isError ? await readWorkspaceFile(options.workspace, args.path) : null;
    await recordToolActivity({ sessionId: options.sessionId, tool: options.tool, args, result, thrown, durationMs, before, after }).catch((error) =>
      console.warn(`Could not record tool activity: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

async function recordToolActivity(input: {
  sessionId: string;
  tool: WorkspaceToolName;
  args: Record<string, unknown>;
  result?: WorkspaceToolResult;
  thrown?: unknown;
  durationMs: number;
  before: string | null;
  after: string | null;
}): Promise<void> {
  const context = await loadSessionContext(input.sessionId);
  if (!context) return;
  const { runId, ...session } = context;
  const payload: ToolActivityPayload = {
    ...session,
    ...summarizeToolCall({ tool: input.tool, args: input.args, result: input.result, thrown: input.thrown, before: input.before, after: input.after }),
    durationMs: input.durationMs,
  };
  await recordRunEvent({ runId, type: toolActivityEventType, payload });
}

/** What one call did, in the event's terms. Pure: exported for tests. */
export function summarizeToolCall(input: {
  tool: string;
  args: Record<string, unknown>;
  result?: WorkspaceToolResult;
  thrown?: unknown;
  before?: string | null;
  after?: string | null;
}): Omit<ToolActivityPayload, "sessionId" | "role" | "taskKey" | "iteration" | "durationMs"> {
  const { tool, args, result } = input;
  const rawTarget = tool === "run_command" ? args.command : tool === "search" ? args.pattern : args.path;
  const target = typeof rawTarget === "string" ? cap(redactSecrets(rawTarget)) : null;
  const output = result?.output ?? "";
  const exitCode = tool === "run_command" ? readExitCode(output) : null;
  const error = input.thrown !== undefined
    ? firstLine(input.thrown instanceof Error ? input.thrown.message : String(input.thrown))
    : result?.isError
      ? firstLine(output)
      : null;

  let lines = { added: 0, removed: 0 };
  if (result && !result.isError) {
    if (tool === "edit_file" && typeof args.oldText === "string" && typeof args.newText === "string") lines = countChangedLines(args.oldText, args.newText);
    if (tool === "write_file" && input.after !== null && input.after !== undefined) lines = countChangedLines(input.before ?? "", input.after);
  }
  return {
    tool,
    target,
    exitCode,
    failingTests: tool === "run_command" ? readFailingTestCount(output) : null,
    error: error ? redactSecrets(error) : null,
    linesAdded: lines.added,
    linesRemoved: lines.removed,
    changedFiles: result?.changedFiles.length ?? 0,
  };
}

function countChangedLines(before: string, after: string) {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}

function readExitCode(output: string): number | null {
  const match = /^exit code: (-?\d+)/m.exec(output);
  return match ? Number(match[1]) : null;
}

// The summary lines of common runners: mocha/jest/vitest/node:test/pytest/go/cargo.
const failingPatterns = [
  /\bTests?:?\s+(\d+)\s+failed\b/i, // jest, vitest "Tests  3 failed"
  /\b(\d+)\s+failing\b/i, // mocha
  /^# fail (\d+)$/m, // node:test, tap
  /\b(\d+)\s+failed\b/i, // pytest "3 failed", cargo "3 failed"
];

/** The number of failing tests the output reports, or null when it does not say. */
export function readFailingTestCount(output: string): number | null {
  for (const pattern of failingPatterns) {
    const match = pattern.exec(output);
    if (match) return Number(match[1]);
  }
  return null;
}

async function readWorkspaceFile(workspace: string, requested: unknown): Promise<string | null> {
  if (typeof requested !== "string") return null;
  try {
    const resolved = await resolveWorkspacePath(workspace, requested);
    return resolved.exists ? await readFile(resolved.absolute, "utf8") : "";
  } catch {
    return null;
  }
}

function cap(text: string) {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > toolTargetMaxChars ? oneLine.slice(0, toolTargetMaxChars) : oneLine;
}

function firstLine(text: string) {
  return cap(text.split("\n").find((line) => line.trim() && !/^exit code:/.test(line)) ?? text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
