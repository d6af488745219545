// A session's transcript as stored in AgentSession.transcript (JSONB): validated against the
// AI SDK's own message schema when loaded, so a malformed row fails loudly here instead of
// deep inside a model call.
import { modelMessageSchema, type ModelMessage } from "ai";
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../errors";

const transcriptSchema = z.array(modelMessageSchema);

/** The stored transcript, or an error naming the session and the first bad message. */
export function parseTranscript(stored: Prisma.JsonValue, sessionId: string): ModelMessage[] {
  const parsed = transcriptSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError("internal", `Session ${sessionId} has a malformed transcript at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`, { isRetryable: false });
}

/** For display: the messages that parse, skipping any that do not, so one bad row never hides a page. */
export function readDisplayableTranscript(stored: Prisma.JsonValue): ModelMessage[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((message) => {
    const parsed = modelMessageSchema.safeParse(message);
    return parsed.success ? [parsed.data] : [];
  });
}
