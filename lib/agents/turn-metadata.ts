// Loop bookkeeping rides along in the transcript itself (providerOptions.factory on the
// message closing each turn; providers ignore keys not their own), so a resumed session
// on any machine sees the same stuck counters and changed files without extra columns.
import type { ModelMessage } from "ai";

/** `checkpoint`: the commit holding the workspace as this turn left it (saved with the turn). */
export type TurnMetadata = { signature: string; changedFiles: string[]; checkpoint?: string };
/** Compaction always keeps the last few turns whole, so signatures need not be carried over. */
export type CompactionMetadata = { compactedTurns: number; filesChanged: string[]; turnsWithoutChange: number };

export type LoopState = { turnsWithoutChange: number; recentSignatures: string[]; filesChanged: string[] };

export function readTurnMetadata(message: ModelMessage): TurnMetadata | undefined {
  const factory = message.providerOptions?.factory as Partial<TurnMetadata & { compactedTurns: number }> | undefined;
  if (!factory || typeof factory.signature !== "string") return undefined;
  return { signature: factory.signature, changedFiles: factory.changedFiles ?? [], ...(typeof factory.checkpoint === "string" ? { checkpoint: factory.checkpoint } : {}) };
}

export function readCompactionMetadata(message: ModelMessage): CompactionMetadata | undefined {
  const factory = message.providerOptions?.factory as Partial<CompactionMetadata> | undefined;
  return factory && typeof factory.compactedTurns === "number" ? (factory as CompactionMetadata) : undefined;
}

/** Recomputes the stuck counters and the changed-file list from a transcript. */
export function deriveLoopState(messages: ModelMessage[]): LoopState {
  const files = new Set<string>();
  const signatures: string[] = [];
  let turnsWithoutChange = 0;
  let isCountingNoChange = true;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    const turn = readTurnMetadata(message);
    if (turn) {
      turn.changedFiles.forEach((file) => files.add(file));
      if (signatures.length < 3) signatures.unshift(turn.signature);
      if (isCountingNoChange && turn.changedFiles.length === 0) turnsWithoutChange += 1;
      else isCountingNoChange = false;
      continue;
    }
    const compaction = readCompactionMetadata(message);
    if (compaction) {
      compaction.filesChanged.forEach((file) => files.add(file));
      if (isCountingNoChange) turnsWithoutChange += compaction.turnsWithoutChange;
      break;
    }
  }
  return { turnsWithoutChange, recentSignatures: signatures, filesChanged: [...files].sort() };
}
