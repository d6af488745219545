import { AppError } from "../errors";

export type PlannedTaskRef = { key: string; dependsOn: string[] };

/**
 * Groups tasks into waves: every task's dependencies are in earlier waves, so a wave's tasks
 * can run in parallel. Refuses unknown dependencies and cycles, naming the tasks involved.
 */
export function planWaves(tasks: PlannedTaskRef[]): string[][] {
  const keys = new Set(tasks.map((task) => task.key));
  for (const task of tasks) {
    const unknown = task.dependsOn.filter((dependency) => !keys.has(dependency));
    if (unknown.length) throw new AppError("unprocessable", `Task "${task.key}" depends on unknown task(s): ${unknown.join(", ")}`);
  }
  const waves: string[][] = [];
  const done = new Set<string>();
  let remaining = tasks;
  while (remaining.length) {
    const ready = remaining.filter((task) => task.dependsOn.every((dependency) => done.has(dependency)));
    if (!ready.length) {
      throw new AppError("unprocessable", `The plan's dependencies form a cycle among: ${remaining.map((task) => task.key).join(", ")}`);
    }
    waves.push(ready.map((task) => task.key));
    ready.forEach((task) => done.add(task.key));
    remaining = remaining.filter((task) => !done.has(task.key));
  }
  return waves;
}
