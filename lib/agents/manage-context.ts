// Keeps prompts bounded: tool outputs are capped when they enter the transcript, and once
// the prompt passes a byte budget the oldest turns are folded into one summary message.
// The system prompt, tool definitions and the task message are never touched, so the
// cacheable prefix stays byte-identical; compaction cuts deep so that it happens rarely.
import type { ModelMessage } from "ai";
import { readCompactionMetadata, readTurnMetadata, type CompactionMetadata } from "./transcript";

export function capToolOutput(toolName: string, output: string, maxBytes: number): string {
  if (Buffer.byteLength(output) <= maxBytes) return output;
  const buffer = Buffer.from(output);
  // Command output matters at its end (the failing test, the exit status); files at their start.
  if (toolName === "run_command") {
    const tail = buffer.subarray(buffer.length - maxBytes).toString("utf8").replace(/^\uFFFD+/, "");
    return `[output truncated: showing the last ${maxBytes} of ${buffer.length} bytes]\n${tail}`;
  }
  const head = buffer.subarray(0, maxBytes).toString("utf8").replace(/\uFFFD+$/, "");
  return `${head}\n[output truncated: showed the first ${maxBytes} of ${buffer.length} bytes; narrow the request (line range, path, pattern) to see more]`;
}

export type CompactionOptions = {
  /** Compact when the transcript exceeds this many bytes. */
  budgetBytes: number;
  /** ...down to about this many bytes. */
  targetBytes: number;
  /** The most recent turns always stay whole (at least 3, for stuck detection). */
  keepRecentTurns: number;
  maxSummaryBytes?: number;
};

const byteSize = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * The transcript as JSON with every object's keys sorted, deeply. The database's JSONB column
 * reorders keys (tool-call arguments included) on the way back, so without this the prompt's
 * bytes, and the provider's prefix cache, would break at every chunk boundary. Messages are
 * canonicalized when they enter the transcript and when it is loaded, so both agree.
 */
export function canonicalizeTranscript(messages: ModelMessage[]): ModelMessage[] {
  return sortKeysDeep(JSON.parse(JSON.stringify(messages))) as ModelMessage[];
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeysDeep(record[key])]));
  }
  return value;
}

/** Returns the transcript unchanged when under budget, else a compacted copy. */
export function compactTranscript(messages: ModelMessage[], options: CompactionOptions): ModelMessage[] {
  if (byteSize(messages) <= options.budgetBytes) return messages;
  const [taskMessage, ...rest] = messages;
  const previous = rest[0] && readCompactionMetadata(rest[0]) ? rest.shift() : undefined;
  const turns = splitTurns(rest);
  const keep = Math.max(3, options.keepRecentTurns);
  const head = byteSize([taskMessage]);
  const turnBytes = turns.map(byteSize);
  // Drop the oldest turns until the result, summary included, is under the target.
  for (let dropCount = 1; dropCount <= turns.length - keep; dropCount++) {
    const keptBytes = turnBytes.slice(dropCount).reduce((sum, bytes) => sum + bytes, 0);
    const summary = buildSummary(previous, turns.slice(0, dropCount), options.maxSummaryBytes ?? 6_000);
    if (head + keptBytes + byteSize(summary) > options.targetBytes && dropCount < turns.length - keep) continue;
    return [taskMessage, summary, ...turns.slice(dropCount).flat()];
  }
  return messages;
}

/** A turn is an assistant message plus the tool results or nudge that close it. */
function splitTurns(messages: ModelMessage[]): ModelMessage[][] {
  const turns: ModelMessage[][] = [];
  for (const message of messages) {
    if (message.role === "assistant" || turns.length === 0) turns.push([message]);
    else turns[turns.length - 1].push(message);
  }
  return turns;
}

function buildSummary(previous: ModelMessage | undefined, dropped: ModelMessage[][], maxBytes: number): ModelMessage {
  const previousMeta = previous ? readCompactionMetadata(previous) : undefined;
  const previousLines = previous && typeof previous.content === "string" ? previous.content.split("\n").slice(1) : [];
  const files = new Set(previousMeta?.filesChanged ?? []);
  let turnsWithoutChange = previousMeta?.turnsWithoutChange ?? 0;
  const lines = [...previousLines];
  for (const turn of dropped) {
    const meta = turn.map(readTurnMetadata).find(Boolean);
    meta?.changedFiles.forEach((file) => files.add(file));
    turnsWithoutChange = meta && meta.changedFiles.length > 0 ? 0 : turnsWithoutChange + 1;
    lines.push(describeTurn(turn));
  }
  while (lines.length > 1 && Buffer.byteLength(lines.join("\n")) > maxBytes) lines.shift();
  const metadata: CompactionMetadata = {
    compactedTurns: (previousMeta?.compactedTurns ?? 0) + dropped.length,
    filesChanged: [...files].sort(),
    turnsWithoutChange,
  };
  const header = `[Earlier turns were compacted to save context (${metadata.compactedTurns} turns). Files changed so far: ${metadata.filesChanged.join(", ") || "none"}. Re-read any file you need.]`;
  return { role: "user", content: [header, ...lines].join("\n"), providerOptions: { factory: metadata } };
}

function describeTurn(turn: ModelMessage[]): string {
  const calls: string[] = [];
  for (const message of turn) {
    if (message.role !== "assistant" || typeof message.content === "string") continue;
    for (const part of message.content) {
      if (part.type !== "tool-call") continue;
      calls.push(`${part.toolName}(${JSON.stringify(part.input).slice(0, 160)})`);
    }
  }
  const outcomes: string[] = [];
  for (const message of turn) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      const value = "value" in part.output ? String(part.output.value) : "";
      outcomes.push(`${part.output.type === "error-text" ? "error" : "ok"}: ${value.split("\n").find((line) => line.trim())?.slice(0, 100) ?? ""}`);
    }
  }
  return `- ${calls.join("; ") || "(text only)"} -> ${outcomes.join("; ") || "no tool result"}`;
}
