import { describe, expect, it } from "vitest";
import { mergeRunEvents, describeRunEvent, describeToolActivity, latestToolActivity } from "./run-events";
import type { RunEventDto } from "./runs";

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

describe("describeRunEvent", () => {
  it("prefers a message and adds the task and status", () => {
    expect(describeRunEvent({ type: "task.updated", payload: { message: "Tests pass", taskKey: "T2", status: "succeeded" } })).toBe(
      "[T2] · Tests pass · status: succeeded",
    );
  });

  it("falls back to simple payload fields", () => {
    expect(describeRunEvent({ type: "x", payload: { model: "glm-5.2", turns: 4, nested: { a: 1 } } })).toBe("model: glm-5.2 · turns: 4");
  });

  it("truncates long text to one line", () => {
    const summary = describeRunEvent({ type: "x", payload: { message: "a\n".repeat(300) } });
    expect(summary.length).toBeLessThanOrEqual(160);
    expect(summary).not.toContain("\n");
  });

  it("copes with empty and non-object payloads", () => {
    expect(describeRunEvent({ type: "x", payload: null })).toBe("");
    expect(describeRunEvent({ type: "x", payload: "plain text" })).toBe("plain text");
  });
});

const base = { sessionId: "s1", role: "fixer", taskKey: "api", iteration: 2, target: null, exitCode: null, failingTests: null, error: null, durationMs: 5, linesAdded: 0, linesRemoved: 0, changedFiles: 0 } as const;

function event(id: number, payload: object, type = "agent.tool"): RunEventDto {
  return { id, runId: "r", type, payload, costDeltaUsd: 0, createdAt: new Date(0).toISOString(), run: {} as RunEventDto["run"] };
}

describe("describeToolActivity", () => {
  it("says what the command did and how many tests fail", () => {
    expect(describeToolActivity({ ...base, tool: "run_command", target: "npm test", exitCode: 1, failingTests: 3 })).toBe(
      "fixer · iteration 2 · ran `npm test` → exit 1 (3 failing)",
    );
  });
  it("shows lines changed for edits and errors for failed calls", () => {
    expect(describeToolActivity({ ...base, tool: "edit_file", target: "src/a.ts", linesAdded: 4, linesRemoved: 1 })).toBe("fixer · iteration 2 · edited `src/a.ts` (+4 −1)");
    expect(describeToolActivity({ ...base, tool: "read_file", target: "x", error: "not found" })).toBe("fixer · iteration 2 · read `x` → error: not found");
  });
});

describe("latestToolActivity", () => {
  it("keeps the newest call per task and per session and ignores other events", () => {
    const { byTask, bySession } = latestToolActivity([
      event(1, { ...base, tool: "read_file", target: "a" }),
      event(2, { role: "coder" }, "llm.call"),
      event(3, { ...base, sessionId: "s2", tool: "search", target: "foo" }),
    ]);
    expect(byTask.get("api")?.eventId).toBe(3);
    expect(bySession.get("s1")?.target).toBe("a");
    expect(bySession.size).toBe(2);
  });
});
