import { AppError } from "../errors";

/**
 * The only branches agents may push to: `factory/<run>-<task>`, and for best-of-N coder
 * attempts `factory/<run>-<task>-attempt-<N>` (deleted once the winner is on the task's branch).
 */
export const factoryBranchPattern = /^factory\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function buildBranchName(options: { runId: string; taskKey: string; attempt?: number | null }): string {
  const slug = (value: string) =>
    value.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^[-.]+|[-.]+$/g, "");
  const suffix = options.attempt ? `-attempt-${options.attempt}` : "";
  const branch = `factory/${slug(options.runId)}-${slug(options.taskKey)}${suffix}`.replace(/\.lock$/, "");
  if (!factoryBranchPattern.test(branch)) {
    throw new AppError("bad_request", `Cannot build a branch name from run "${options.runId}" and task "${options.taskKey}"`);
  }
  return branch;
}
