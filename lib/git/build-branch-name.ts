import { AppError } from "../errors";

/** The only branches agents may push to: `factory/<run>-<task>`. */
export const factoryBranchPattern = /^factory\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function buildBranchName(options: { runId: string; taskKey: string }): string {
  const slug = (value: string) =>
    value.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^[-.]+|[-.]+$/g, "");
  const branch = `factory/${slug(options.runId)}-${slug(options.taskKey)}`.replace(/\.lock$/, "");
  if (!factoryBranchPattern.test(branch)) {
    throw new AppError("bad_request", `Cannot build a branch name from run "${options.runId}" and task "${options.taskKey}"`);
  }
  return branch;
}
