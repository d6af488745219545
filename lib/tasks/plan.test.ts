import { describe, expect, it } from "vitest";
import { planWaves } from "./plan";

describe("planWaves", () => {
  it("puts independent tasks together and dependants after what they need", () => {
    expect(
      planWaves([
        { key: "api", dependsOn: [] },
        { key: "ui", dependsOn: ["api"] },
        { key: "docs", dependsOn: [] },
        { key: "e2e", dependsOn: ["ui", "api"] },
      ]),
    ).toEqual([["api", "docs"], ["ui"], ["e2e"]]);
  });

  it("names a cycle and an unknown dependency", () => {
    expect(() => planWaves([{ key: "a", dependsOn: ["b"] }, { key: "b", dependsOn: ["a"] }])).toThrow(/cycle among: a, b/);
    expect(() => planWaves([{ key: "a", dependsOn: ["z"] }])).toThrow(/unknown task\(s\): z/);
  });
});
