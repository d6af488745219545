// Finds the PullRequest row of a factory PR a webhook is about; null means "not ours".
import { db } from "../db";
import { isFactoryBranch } from "./factory-branch-name";

export type FactoryPullRequestQuery = {
  owner: string;
  repo: string;
  number?: number;
  /** For check events, which name a branch and a sha but not always a PR. */
  headBranch?: string | null;
  headSha?: string;
};

export async function findFactoryPullRequest(query: FactoryPullRequestQuery) {
  const repository = { owner: { equals: query.owner, mode: "insensitive" as const }, name: { equals: query.repo, mode: "insensitive" as const } };
  const or = [
    ...(query.number !== undefined ? [{ number: query.number }] : []),
    ...(query.headBranch ? [{ headBranch: query.headBranch }] : []),
    ...(query.headSha ? [{ headSha: query.headSha }] : []),
  ];
  if (or.length === 0) return null;
  const row = await db.pullRequest.findFirst({
    where: { repository, OR: or },
    select: { id: true, runId: true, number: true, headBranch: true },
    orderBy: { createdAt: "desc" },
  });
  // Belt and braces: the factory only ever opens PRs from factory/* branches.
  return row && isFactoryBranch(row.headBranch) ? row : null;
}
