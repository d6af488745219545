import type { ModelMessage } from "ai";
import { describe, expect, it } from "vitest";
import { capToolOutput, compactTranscript } from "./manage-context";
import { deriveLoopState } from "./transcript";

describe("capToolOutput", () => {
  it("keeps the tail of command output and the head of anything else", () => {
    const output = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join("\n");
    const command = capToolOutput("run_command", output, 200);
    expect(command).toMatch(/^\[output truncated: showing the last 200 of \d+ bytes\]/);
    expect(command.endsWith("line 999")).toBe(true);
    const file = capToolOutput("read_file", output, 200);
    expect(file.startsWith("line 0\nline 1")).toBe(true);
    expect(file).toMatch(/narrow the request/);
    expect(capToolOutput("run_command", "short", 200)).toBe("short");
  });
});

describe("compactTranscript", () => {
  const turn = (i: number, changed: string[]): ModelMessage[] => [
    { role: "assistant", content: [{ type: "tool-call", toolCallId: `c${i}`, toolName: "write_file", input: { path: `f${i}` } }] },
    {
      role: "tool",
      content: [{ type: "tool-result", toolCallId: `c${i}`, toolName: "write_file", output: { type: "text", value: "x".repeat(1000) } }],
      providerOptions: { factory: { signature: `s${i}`, changedFiles: changed } },
    },
  ];

  it("folds old turns into a summary that keeps changed files and the no-change count", () => {
    const messages: ModelMessage[] = [{ role: "user", content: "task" }, ...turn(0, ["a.ts"]), ...Array.from({ length: 9 }, (_, i) => turn(i + 1, [])).flat()];
    const compacted = compactTranscript(messages, { budgetBytes: 8_000, targetBytes: 6_500, keepRecentTurns: 3 });
    expect(compacted[0]).toBe(messages[0]);
    expect(String(compacted[1].content)).toMatch(/^\[Earlier turns were compacted.*Files changed so far: a\.ts/);
    expect(Buffer.byteLength(JSON.stringify(compacted))).toBeLessThan(6_500);
    expect(compacted.length).toBeGreaterThan(2 + 3 * 2); // more than the 3 kept turns: it cut only as deep as needed
    // The stuck counters survive compaction.
    expect(deriveLoopState(compacted)).toEqual({ ...deriveLoopState(messages), recentSignatures: ["s7", "s8", "s9"] });
    expect(deriveLoopState(compacted).turnsWithoutChange).toBe(9);
    expect(compactTranscript(compacted, { budgetBytes: 8_000, targetBytes: 6_500, keepRecentTurns: 3 })).toBe(compacted);
  });
});
