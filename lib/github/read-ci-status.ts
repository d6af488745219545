// CI state of a commit, combining check runs (Actions, Apps) and commit statuses (older CI).
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

export type CiState = "pending" | "success" | "failure";

export type CiStatus = {
  /** pending also when nothing has reported yet (total 0), as GitHub's combined status says. */
  state: CiState;
  total: number;
  checkRuns: { name: string; status: string; conclusion: string | null }[];
  statuses: { context: string; state: string }[];
};

const failedConclusions = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"]);

export async function readCiStatus(input: RepoRef & { sha: string }): Promise<CiStatus> {
  const client = await getGitHubClient(input);
  const ref = { owner: input.owner, repo: input.repo, ref: input.sha };
  try {
    const checkRuns = (await client.paginate(client.rest.checks.listForRef, { ...ref, per_page: 100 })).map((r) => ({
      name: r.name, status: r.status, conclusion: r.conclusion ?? null,
    }));
    const { data: combined } = await client.rest.repos.getCombinedStatusForRef({ ...ref, per_page: 100 });
    const statuses = combined.statuses.map((s) => ({ context: s.context, state: s.state }));
    const total = checkRuns.length + statuses.length;
    const isFailed = checkRuns.some((r) => r.status === "completed" && failedConclusions.has(r.conclusion ?? "")) ||
      statuses.some((s) => s.state === "failure" || s.state === "error");
    const isPending = total === 0 || checkRuns.some((r) => r.status !== "completed") || statuses.some((s) => s.state === "pending");
    return { state: isFailed ? "failure" : isPending ? "pending" : "success", total, checkRuns, statuses };
  } catch (error) {
    throw toGitHubError(error, `read CI status of ${input.sha.slice(0, 12)} in ${input.owner}/${input.repo}`);
  }
}
