// Runs an agent session as a series of durable steps, one chunk of turns each, so a crashed
// worker loses at most one chunk and the next attempt resumes on any worker.
import type { GetStepTools } from "inngest";
import { sessionOutcomeSchema, type SessionOutcome } from "@/lib/agents/session-outcome";
import { runSessionChunk } from "../lib/tasks/run-session-chunk";
import type { inngest } from "@/lib/inngest";

type Step = GetStepTools<typeof inngest>;

/** More chunks than any role's turn limit allows; a guard, not a limit anyone should reach. */
const maxChunks = 100;

export async function runSessionSteps(step: Step, options: { sessionId: string; stepPrefix: string }): Promise<SessionOutcome> {
  for (let chunk = 1; chunk <= maxChunks; chunk++) {
    const outcome = sessionOutcomeSchema.parse(
      await step.run(`${options.stepPrefix}-chunk-${chunk}`, () => runSessionChunk({ sessionId: options.sessionId })),
    );
    if (outcome.isDone) return outcome;
  }
  throw new Error(`Session ${options.sessionId} did not end within ${maxChunks} chunks`);
}
