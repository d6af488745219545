// The benchmark is sound: for every task, the visible tests pass on the starting repository,
// the hidden tests fail there (the task is not already done) and pass with the reference
// solution (the task is possible and the hidden tests ask for what the spec says), in the
// same sandbox and through the same test runner the eval uses.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEvalTasks, selectEvalTasks } from "@/eval/eval-tasks";
import { runTests } from "@/lib/testing/run-tests";

const tasks = loadEvalTasks();
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function workspaceWith(...layers: Record<string, string>[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "eval-task-"));
  dirs.push(dir);
  for (const files of layers) {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
  }
  return dir;
}

describe("eval tasks", () => {
  it("ships at least 12 tasks in JavaScript and Python, of every difficulty", () => {
    expect(tasks.length).toBeGreaterThanOrEqual(12);
    expect(new Set(tasks.map((t) => t.language))).toEqual(new Set(["javascript", "python"]));
    expect(new Set(tasks.map((t) => t.difficulty))).toEqual(new Set(["easy", "medium", "hard"]));
    expect(new Set(tasks.map((t) => t.kind))).toEqual(new Set(["feature", "bugfix", "cli"]));
    for (const task of tasks) {
      expect(Object.keys(task.hiddenFiles).length, task.id).toBeGreaterThan(0);
      // The factory never sees hidden tests: none is part of the starting repository.
      for (const file of Object.keys(task.hiddenFiles)) expect(task.repoFiles[file], `${task.id}: ${file}`).toBeUndefined();
      expect(Object.keys(task.repoFiles).some((file) => /^(package\.json|pyproject\.toml)$/.test(file)), task.id).toBe(true);
    }
  });

  it("refuses unknown task ids, naming the known ones", () => {
    expect(() => selectEvalTasks(tasks, ["js-slugify", "nope"])).toThrow(/Unknown eval task "nope"\. Known tasks: .*js-slugify/);
    expect(selectEvalTasks(tasks, ["py-roman", "js-slugify"]).map((t) => t.id)).toEqual(["py-roman", "js-slugify"]);
  });

  it.concurrent.each(tasks.map((task) => [task.id, task] as const))("%s: hidden tests fail on the base and pass with the reference solution", async (_id, task) => {
    const base = await runTests({ workspace: workspaceWith(task.repoFiles), setupCommand: null, testCommand: task.testCommand });
    expect(base.outcome, `${task.id} visible tests on the base:\n${base.outputTail}`).toBe("passed");
    const unsolved = await runTests({ workspace: workspaceWith(task.repoFiles, task.hiddenFiles), setupCommand: null, testCommand: task.hiddenTestCommand });
    expect(unsolved.outcome, `${task.id} hidden tests on the base`).toBe("failed");
    const solvedDir = workspaceWith(task.repoFiles, task.solutionFiles, task.hiddenFiles);
    const solved = await runTests({ workspace: solvedDir, setupCommand: null, testCommand: task.hiddenTestCommand });
    expect(solved.outcome, `${task.id} hidden tests with the solution:\n${solved.outputTail}`).toBe("passed");
    const visible = await runTests({ workspace: solvedDir, setupCommand: null, testCommand: task.testCommand });
    expect(visible.outcome, `${task.id} visible tests with the solution:\n${visible.outputTail}`).toBe("passed");
  }, 60_000);
});
