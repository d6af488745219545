// The tools that end a session, with the exact names and arguments of DESIGN.md's contract.
import { z } from "zod";

export const finishInput = z.object({
  summary: z.string().min(1).max(20_000).describe("What you did and why, for the pull request description."),
});

export const reviewCommentInput = z.object({
  path: z.string().min(1).describe("File path relative to the repository root."),
  line: z.number().int().min(1).describe("Line number in the new version of the file."),
  body: z.string().min(1).max(5_000),
});

export const submitReviewInput = z.object({
  verdict: z.enum(["approve", "request_changes"]),
  summary: z.string().min(1).max(20_000),
  comments: z.array(reviewCommentInput).max(50).describe("Inline comments; empty when there is nothing specific."),
});

export const planTaskInput = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lowercase kebab-case, at most 40 characters"),
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(20_000),
  acceptanceCriteria: z.array(z.string().min(1).max(2_000)).min(1).max(30),
  dependsOn: z.array(z.string()).max(30).describe("Keys of tasks that must be done first."),
});

export const submitPlanInput = z
  .object({ tasks: z.array(planTaskInput).min(1).max(30) })
  .superRefine((plan, ctx) => {
    const keys = new Set<string>();
    for (const task of plan.tasks) {
      if (keys.has(task.key)) ctx.addIssue({ code: "custom", message: `duplicate task key "${task.key}"` });
      keys.add(task.key);
    }
    for (const task of plan.tasks) {
      for (const dependency of task.dependsOn) {
        if (!keys.has(dependency)) ctx.addIssue({ code: "custom", message: `task "${task.key}" depends on unknown key "${dependency}"` });
        if (dependency === task.key) ctx.addIssue({ code: "custom", message: `task "${task.key}" depends on itself` });
      }
    }
    const cycle = findDependencyCycle(plan.tasks);
    if (cycle && cycle.length > 2) {
      ctx.addIssue({
        code: "custom",
        message: `the dependencies form a cycle: ${cycle.join(" -> ")}. Tasks run after what they depend on, so a cycle can never start; remove one of these dependencies (or merge the tasks) and submit the plan again`,
      });
    }
  });

/**
 * A dependency cycle as a path of keys that starts and ends at the same task
 * ("a -> b -> a"), or null. Unknown keys are skipped: they are reported on their own.
 */
export function findDependencyCycle(tasks: { key: string; dependsOn: string[] }[]): string[] | null {
  const dependsOn = new Map(tasks.map((task) => [task.key, task.dependsOn]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (key: string): string[] | null => {
    if (state.get(key) === "done" || !dependsOn.has(key)) return null;
    if (state.get(key) === "visiting") return [...path.slice(path.indexOf(key)), key];
    state.set(key, "visiting");
    path.push(key);
    for (const dependency of dependsOn.get(key) ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(key, "done");
    return null;
  };
  for (const task of tasks) {
    const cycle = visit(task.key);
    if (cycle) return cycle;
  }
  return null;
}

export type FinishResult = z.infer<typeof finishInput>;
export type SubmitReviewResult = z.infer<typeof submitReviewInput>;
export type SubmitPlanResult = z.infer<typeof submitPlanInput>;

export const terminalTools = {
  finish: { description: "Call when the task is complete (changes made and checked). Ends the session.", inputSchema: finishInput },
  submit_review: { description: "Submit your review of the change. Ends the session.", inputSchema: submitReviewInput },
  submit_plan: { description: "Submit the plan: small, independently reviewable tasks. Ends the session.", inputSchema: submitPlanInput },
} as const;

export type TerminalToolName = keyof typeof terminalTools;
