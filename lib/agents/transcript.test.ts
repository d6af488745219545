import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseTranscript, readDisplayableTranscript } from "./transcript";

const valid = [
  { role: "user", content: "Add a hello function." },
  { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "read_file", input: { path: "a.ts" } }] },
  { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "read_file", output: { type: "text", value: "x" } }] },
];

describe("transcripts loaded from AgentSession.transcript", () => {
  it("returns a stored transcript that matches the AI SDK's message schema", () => {
    expect(parseTranscript(valid, "s1")).toEqual(valid);
  });

  it("refuses a malformed transcript with an error naming the session and the bad message", () => {
    const broken = [valid[0], { role: "assistant", content: 42 }];
    expect(() => parseTranscript(broken, "s1")).toThrow(AppError);
    expect(() => parseTranscript(broken, "s1")).toThrow(/Session s1 has a malformed transcript at 1/);
    expect(() => parseTranscript({ not: "a list" }, "s2")).toThrow(/Session s2/);
  });

  it("shows the messages that parse and skips the rest on display", () => {
    expect(readDisplayableTranscript([valid[0], { role: "robot" }, valid[1]])).toEqual([valid[0], valid[1]]);
    expect(readDisplayableTranscript(null)).toEqual([]);
  });
});
