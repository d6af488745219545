import { describe, expect, it } from "vitest";
import type { RunEventDto } from "./runs";
import { mergeRunEvents } from "./run-events";

function makeEvent(id: number, runId = "run1"): RunEventDto {
  return {
    id,
    runId,
    type: "test.event",
    payload: {},
    costDeltaUsd: 0,
    createdAt: new Date(0).toISOString(),
    run: { status: "running", spentUsd: 0, reservedUsd: 0, tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, error: null, finishedAt: null },
  };
}

describe("mergeRunEvents", () => {
  it("drops events it already has, so a replayed backlog after a reconnect adds nothing twice", () => {
    const first = mergeRunEvents({ runId: "run1", events: [] }, { runId: "run1", events: [makeEvent(1), makeEvent(2)] });
    const replayed = mergeRunEvents(first, { runId: "run1", events: [makeEvent(1), makeEvent(2), makeEvent(3)] });
    expect(replayed.events.map((event) => event.id)).toEqual([1, 2, 3]);
  });

  it("keeps events in id order when they arrive out of order", () => {
    const state = mergeRunEvents({ runId: "run1", events: [makeEvent(5)] }, { runId: "run1", events: [makeEvent(3), makeEvent(7)] });
    expect(state.events.map((event) => event.id)).toEqual([3, 5, 7]);
  });

  it("returns the same state object when nothing is new, so React skips the render", () => {
    const state = mergeRunEvents({ runId: "run1", events: [] }, { runId: "run1", events: [makeEvent(1)] });
    expect(mergeRunEvents(state, { runId: "run1", events: [makeEvent(1)] })).toBe(state);
  });

  it("starts over for another run", () => {
    const state = mergeRunEvents({ runId: "run1", events: [makeEvent(1)] }, { runId: "run2", events: [makeEvent(9, "run2")] });
    expect(state).toEqual({ runId: "run2", events: [makeEvent(9, "run2")] });
  });
});
