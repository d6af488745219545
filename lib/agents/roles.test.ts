import { describe, expect, it } from "vitest";
import { findDependencyCycle, submitPlanInput } from "./roles";

const task = (key: string, dependsOn: string[] = []) => ({ key, title: key, description: `do ${key}`, acceptanceCriteria: ["works"], dependsOn });

describe("submit_plan validation", () => {
  it("names a dependency cycle, unknown keys and duplicate keys as fixable errors", () => {
    const cycle = submitPlanInput.safeParse({ tasks: [task("api", ["ui"]), task("ui", ["docs"]), task("docs", ["api"]), task("cli")] });
    expect(cycle.success).toBe(false);
    expect(cycle.error?.issues.map((issue) => issue.message)).toEqual([expect.stringContaining("cycle: api -> ui -> docs -> api")]);

    const unknown = submitPlanInput.safeParse({ tasks: [task("api", ["db"]), task("api")] });
    expect(unknown.error?.issues.map((issue) => issue.message)).toEqual(['duplicate task key "api"', 'task "api" depends on unknown key "db"']);

    expect(submitPlanInput.safeParse({ tasks: [task("api"), task("ui", ["api"])] }).success).toBe(true);
  });

  it("finds no cycle in a plan in waves", () => {
    expect(findDependencyCycle([task("a"), task("b", ["a"]), task("c", ["a", "b"])])).toBeNull();
    expect(findDependencyCycle([task("a", ["b"]), task("b", ["a"])])).toEqual(["a", "b", "a"]);
  });
});
