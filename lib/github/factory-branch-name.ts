// Factory branches are factory/<run>-<task> (named by lib/git's buildBranchName): the only
// branches agents may push to, and the only PRs the factory acts on.
import { factoryBranchPattern } from "../git/build-branch-name";

export function isFactoryBranch(branch: string | null | undefined): boolean {
  return typeof branch === "string" && factoryBranchPattern.test(branch);
}
