// Factory branches are factory/<run>-<task>: the only branches agents may push to.
export const factoryBranchPrefix = "factory/";

export function factoryBranchName(runId: string, taskKey: string): string {
  const safe = (part: string) => part.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  return `${factoryBranchPrefix}${safe(runId)}-${safe(taskKey)}`;
}

export function isFactoryBranch(branch: string | null | undefined): boolean {
  return typeof branch === "string" && branch.startsWith(factoryBranchPrefix) && branch.length > factoryBranchPrefix.length;
}
