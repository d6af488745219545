// The benchmark's tasks: eval/tasks/<id>/ holds task.json (title, commands), spec.md (the
// spec the factory gets), repo/ (the starting repository), hidden/ (tests the factory never
// sees, copied into the result before they run) and solution/ (a reference solution: the
// scripted model plays it, and a test proves the hidden tests fail without it and pass with it).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { commandField } from "@/lib/repositories/repository-profile-schema";

export const tasksDir = path.join(import.meta.dirname, "tasks");

const taskManifest = z
  .object({
    title: z.string().min(1).max(200),
    language: z.enum(["javascript", "python"]),
    difficulty: z.enum(["easy", "medium", "hard"]),
    kind: z.enum(["feature", "bugfix", "cli"]),
    /** The visible suite: the factory runs it (a per-run override of the repository profile). */
    testCommand: commandField.pipe(z.string().min(1)),
    /** Dependency install with network, if the task needs one; none of the shipped tasks does. */
    setupCommand: commandField.optional(),
    /** Runs the hidden tests in the sandbox, after hidden/ is copied over the result. */
    hiddenTestCommand: commandField.pipe(z.string().min(1)),
  })
  .strict();

export type EvalTask = z.infer<typeof taskManifest> & {
  id: string;
  /** Markdown body of the run's spec. */
  spec: string;
  repoFiles: Record<string, string>;
  hiddenFiles: Record<string, string>;
  solutionFiles: Record<string, string>;
};

/** Every file under dir, keyed by its path relative to dir (POSIX separators). */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(dir, full).split(path.sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return files;
}

export function loadEvalTasks(dir = tasksDir): EvalTask[] {
  const tasks = readdirSync(dir)
    .filter((id) => statSync(path.join(dir, id)).isDirectory())
    .sort()
    .map((id): EvalTask => {
      const taskDir = path.join(dir, id);
      const parsed = taskManifest.safeParse(JSON.parse(readFileSync(path.join(taskDir, "task.json"), "utf8")));
      if (!parsed.success) {
        throw new AppError("internal", `eval/tasks/${id}/task.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      }
      return {
        id,
        ...parsed.data,
        spec: readFileSync(path.join(taskDir, "spec.md"), "utf8"),
        repoFiles: readTree(path.join(taskDir, "repo")),
        hiddenFiles: readTree(path.join(taskDir, "hidden")),
        solutionFiles: readTree(path.join(taskDir, "solution")),
      };
    });
  // The scripted model finds its task by title in the prompt, so titles must be unique.
  const titles = new Set(tasks.map((task) => task.title));
  if (titles.size !== tasks.length) throw new AppError("internal", "Two eval tasks share a title; titles must be unique.");
  return tasks;
}

/** The named tasks in the order given, or all of them; unknown ids are refused, naming the known ones. */
export function selectEvalTasks(all: EvalTask[], ids?: string[]): EvalTask[] {
  if (!ids?.length) return all;
  const unknown = ids.filter((id) => !all.some((task) => task.id === id));
  if (unknown.length) {
    throw new AppError("bad_request", `Unknown eval task${unknown.length > 1 ? "s" : ""} ${unknown.map((id) => `"${id}"`).join(", ")}. Known tasks: ${all.map((task) => task.id).join(", ")}.`);
  }
  return [...new Set(ids)].map((id) => all.find((task) => task.id === id)!);
}
