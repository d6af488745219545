import { describe, expect, it } from "vitest";
import { describeRunEvent } from "./run-events";

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
