// Runs a session to its end, one chunk after another. A workflow calls runAgentSessionChunk
// once per durable step instead; this is for the CLI, the benchmark and tests.
import { runAgentSessionChunk, type RunAgentSessionChunkOptions } from "./run-agent-session-chunk";
import type { SessionOutcome } from "./session-outcome";

export async function runAgentSession(options: RunAgentSessionChunkOptions & { onChunk?: (outcome: SessionOutcome) => void }): Promise<SessionOutcome> {
  for (;;) {
    const outcome = await runAgentSessionChunk(options);
    options.onChunk?.(outcome);
    if (outcome.isDone) return outcome;
  }
}
