import { describe, expect, it } from "vitest";
import { describeToolActivity, latestToolActivity } from "./run-events";
import type { RunEventDto } from "./runs";

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
