import { describe, expect, it } from "vitest";
import { rankAttempts, tiedOnChecks, type AttemptCandidate } from "./coder-attempts";

const candidate = (attempt: number, overrides: Partial<AttemptCandidate> = {}): AttemptCandidate => ({
  attempt, isFinished: true, testResult: "passed", isBlocking: false, newFailures: 0, failToPass: "not_run", headSha: `sha${attempt}`, diffLines: 10, feedback: "", verdict: null, ...overrides,
});
const order = (candidates: AttemptCandidate[]) => rankAttempts(candidates).map((c) => c.attempt);

describe("the winner rule", () => {
  it("puts passing checks first: no new failures, then fewer, then fail-to-pass proven", () => {
    expect(order([
      candidate(1, { isBlocking: true, newFailures: 1, testResult: "failed" }),
      candidate(2, { isBlocking: true, newFailures: 3, testResult: "failed" }),
      candidate(3, { failToPass: "not_proven" }),
      candidate(4, { failToPass: "proven", diffLines: 500 }),
    ])).toEqual([4, 3, 1, 2]);
  });

  it("leaves out attempts whose coder did not finish, even with passing tests", () => {
    expect(order([candidate(1, { isFinished: false }), candidate(2, { isBlocking: true, newFailures: 1 })])).toEqual([2]);
  });

  it("asks the reviewer only among attempts tied on checks; approve beats request_changes before the diff size", () => {
    const candidates = [candidate(1, { diffLines: 5 }), candidate(2, { diffLines: 40 }), candidate(3, { isBlocking: true, newFailures: 1 })];
    expect(tiedOnChecks(candidates).map((c) => c.attempt)).toEqual([1, 2]);
    expect(order([{ ...candidates[0], verdict: "request_changes" }, { ...candidates[1], verdict: "approve" }, candidates[2]])).toEqual([2, 1, 3]);
  });

  it("takes the smaller diff, then the lower attempt number, when checks and verdicts agree", () => {
    expect(order([candidate(1, { diffLines: 30 }), candidate(2, { diffLines: 12 }), candidate(3, { diffLines: 12 })])).toEqual([2, 3, 1]);
    expect(tiedOnChecks([candidate(1, { isBlocking: true, newFailures: 2 })]).map((c) => c.attempt)).toEqual([1]);
  });
});
