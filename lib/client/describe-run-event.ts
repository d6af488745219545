// One short human line for a run event. Event types grow with the factory, so this reads the
// common payload fields rather than knowing every type.

import { parseRunEvent } from "../runs/run-event-types";
import { describeToolActivity } from "./tool-activity";

const SUMMARY_MAX_CHARS = 160;
const PREFERRED_TEXT_FIELDS = ["message", "summary", "reason", "error", "detail", "description", "title"] as const;

/** "run.started" -> "Run started"; "task/pr.opened" -> "Task pr opened". */
export function humanizeEventType(type: string) {
  const words = type.replace(/[./_:-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Event";
}

export function describeRunEvent(event: { type: string; payload: unknown }): string {
  const payload = event.payload;
  const typed = parseRunEvent(event);
  if (typed?.type === "agent.tool") {
    const activity = typed.payload;
    return truncate(`${activity.taskKey ? `[${activity.taskKey}] ` : ""}${describeToolActivity(activity)}`);
  }
  if (typeof payload === "string") return truncate(payload);
  if (!isRecord(payload)) return "";
  const bestOfN = describeBestOfNEvent(event.type, payload);
  if (bestOfN) return truncate(bestOfN);

  const parts: string[] = [];
  const text = PREFERRED_TEXT_FIELDS.map((field) => payload[field]).find((value) => typeof value === "string" && value.trim());
  if (typeof text === "string") parts.push(text.trim());

  const task = payload.taskKey ?? payload.task;
  if (typeof task === "string" && !parts.some((part) => part.includes(task))) parts.unshift(`[${task}]`);
  if (typeof payload.role === "string") parts.push(typeof payload.model === "string" ? `${payload.role} on ${payload.model}` : payload.role);
  if (typeof payload.status === "string") parts.push(`status: ${payload.status.replace(/_/g, " ")}`);
  if (typeof payload.from === "string" && typeof payload.to === "string") parts.push(`${payload.from} → ${payload.to}`);
  if (typeof payload.iteration === "number") parts.push(`iteration ${payload.iteration}`);
  if (typeof payload.pullRequestNumber === "number") parts.push(`PR #${payload.pullRequestNumber}`);

  if (parts.length === 0) {
    // Fall back to the payload's simple fields, e.g. "model: glm-5.2, turns: 4".
    const scalars = Object.entries(payload)
      .filter(([, value]) => ["string", "number", "boolean"].includes(typeof value))
      .slice(0, 4)
      .map(([key, value]) => `${key}: ${String(value)}`);
    parts.push(...scalars);
  }
  return truncate(parts.join(" · "));
}

/** Best-of-N attempts and model escalations, in words: who won, why fewer ran, where a role moved up. */
function describeBestOfNEvent(type: string, payload: Record<string, unknown>): string | null {
  const task = typeof payload.taskKey === "string" ? `[${payload.taskKey}] ` : "";
  const usd = (value: unknown) => `$${(Number(value) || 0).toFixed(2)}`;
  if (type === "task.attempts.limited") {
    return `${task}${payload.running} of ${payload.requested} coder attempts run: ${usd(payload.remainingUsd)} left covers ${payload.running} at ~${usd(payload.estimatePerAttemptUsd)} each`;
  }
  if (type === "task.attempts" && Array.isArray(payload.attempts)) {
    const costs = payload.attempts.filter(isRecord).map((attempt) => `#${attempt.attempt} ${usd(attempt.costUsd)}${attempt.outcome === "won" ? " (won)" : ""}`);
    const outcome = typeof payload.winner === "number" ? `attempt ${payload.winner} of ${payload.ran} won` : `no attempt of ${payload.ran} finished`;
    return `${task}${outcome} · ${usd(payload.totalCostUsd)}: ${costs.join(", ")}`;
  }
  if (type === "model.escalated" && typeof payload.from === "string" && typeof payload.to === "string") {
    return `${task}${payload.role} escalated ${payload.from} → ${payload.to} at iteration ${payload.iteration} after ${usd(payload.taskCostUsd)}`;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function truncate(text: string) {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > SUMMARY_MAX_CHARS ? `${oneLine.slice(0, SUMMARY_MAX_CHARS - 1)}…` : oneLine;
}
