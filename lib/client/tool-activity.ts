// Reads `agent.tool` run events for the run page: the newest action per task and per session,
// and the one-line "now" description, e.g. "fixer · iteration 2 · ran `npm test` → exit 1 (3 failing)".
import type { ToolActivityPayload } from "../agents/tool-activity";
import type { RunEventDto } from "./run-types";

export type { ToolActivityPayload };

export type ToolActivity = ToolActivityPayload & { eventId: number; at: string };

const TOOL_ACTIVITY_EVENT = "agent.tool";

export function readToolActivity(event: RunEventDto): ToolActivity | null {
  if (event.type !== TOOL_ACTIVITY_EVENT) return null;
  const payload = event.payload as Partial<ToolActivityPayload> | null;
  if (!payload || typeof payload.tool !== "string" || typeof payload.sessionId !== "string" || typeof payload.role !== "string") return null;
  return { ...(payload as ToolActivityPayload), eventId: event.id, at: event.createdAt };
}

/** The newest tool activity of each task (by key) and of each session (by id). */
export function latestToolActivity(events: RunEventDto[]) {
  const byTask = new Map<string, ToolActivity>();
  const bySession = new Map<string, ToolActivity>();
  for (const event of events) {
    const activity = readToolActivity(event);
    if (!activity) continue;
    if (activity.taskKey) byTask.set(activity.taskKey, activity);
    bySession.set(activity.sessionId, activity);
  }
  return { byTask, bySession };
}

const VERBS: Record<string, string> = {
  read_file: "read",
  write_file: "wrote",
  edit_file: "edited",
  list_files: "listed",
  search: "searched",
  run_command: "ran",
};

/** What the call did, without the role and iteration: "ran `npm test` → exit 1 (3 failing)". */
export function describeToolAction(activity: Pick<ToolActivityPayload, "tool" | "target" | "exitCode" | "failingTests" | "error" | "linesAdded" | "linesRemoved">) {
  const verb = VERBS[activity.tool] ?? activity.tool;
  const target = activity.target ? ` \`${activity.target}\`` : activity.tool === "list_files" ? " the workspace" : "";
  let outcome = "";
  if (activity.tool === "run_command" && activity.exitCode !== null) {
    outcome = ` → exit ${activity.exitCode}`;
    if (activity.failingTests !== null) outcome += ` (${activity.failingTests} failing)`;
  } else if (activity.error) {
    outcome = ` → error: ${activity.error}`;
  } else if (activity.linesAdded || activity.linesRemoved) {
    outcome = ` (+${activity.linesAdded} −${activity.linesRemoved})`;
  }
  if (activity.tool === "run_command" && activity.exitCode === null && activity.error) outcome = ` → error: ${activity.error}`;
  return `${verb}${target}${outcome}`;
}

/** The lane's "now" line: "fixer · iteration 2 · ran `npm test` → exit 1 (3 failing)". */
export function describeToolActivity(activity: ToolActivityPayload) {
  return `${activity.role} · iteration ${activity.iteration} · ${describeToolAction(activity)}`;
}
