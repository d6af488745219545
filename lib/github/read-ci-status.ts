// CI state of a commit, combining check runs (Actions, Apps) and commit statuses (older CI),
// with what a failed check said (title, summary, annotations) so a fixer can act on it.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

export type CiState = "pending" | "success" | "failure";

export type CiAnnotation = { path: string; line: number | null; level: string | null; message: string; title: string | null };

export type CiCheckRun = {
  name: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  annotations: CiAnnotation[];
};

export type CiStatus = {
  /** pending also when nothing has reported yet (total 0), as GitHub's combined status says. */
  state: CiState;
  total: number;
  checkRuns: CiCheckRun[];
  statuses: { context: string; state: string; description: string | null; targetUrl: string | null }[];
};

const failedConclusions = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"]);
const maxAnnotations = 30;
const maxSummaryChars = 4_000;

export async function readCiStatus(input: RepoRef & { sha: string }): Promise<CiStatus> {
  const client = await getGitHubClient(input);
  const ref = { owner: input.owner, repo: input.repo, ref: input.sha };
  try {
    const runs = await client.paginate(client.rest.checks.listForRef, { ...ref, per_page: 100 });
    const checkRuns: CiCheckRun[] = [];
    for (const run of runs) {
      const isFailed = run.status === "completed" && failedConclusions.has(run.conclusion ?? "");
      // Annotations are read only for failures: they are what the fixer needs.
      const annotations = isFailed && (run.output?.annotations_count ?? 0) > 0
        ? (await client.rest.checks.listAnnotations({ owner: input.owner, repo: input.repo, check_run_id: run.id, per_page: maxAnnotations })).data.map((a) => ({
            path: a.path, line: a.start_line ?? null, level: a.annotation_level ?? null, message: a.message ?? "", title: a.title ?? null,
          }))
        : [];
      checkRuns.push({
        name: run.name, status: run.status, conclusion: run.conclusion ?? null,
        title: run.output?.title ?? null, summary: run.output?.summary?.slice(0, maxSummaryChars) ?? null, annotations,
      });
    }
    const { data: combined } = await client.rest.repos.getCombinedStatusForRef({ ...ref, per_page: 100 });
    const statuses = combined.statuses.map((s) => ({ context: s.context, state: s.state, description: s.description ?? null, targetUrl: s.target_url ?? null }));
    const total = checkRuns.length + statuses.length;
    const isFailed = checkRuns.some((r) => r.status === "completed" && failedConclusions.has(r.conclusion ?? "")) ||
      statuses.some((s) => s.state === "failure" || s.state === "error");
    const isPending = total === 0 || checkRuns.some((r) => r.status !== "completed") || statuses.some((s) => s.state === "pending");
    return { state: isFailed ? "failure" : isPending ? "pending" : "success", total, checkRuns, statuses };
  } catch (error) {
    throw toGitHubError(error, `read CI status of ${input.sha.slice(0, 12)} in ${input.owner}/${input.repo}`);
  }
}

/** The failed checks as a fixer reads them: name, title, summary, then each annotation at its place. */
export function describeCiFailure(status: CiStatus): string {
  const lines: string[] = [];
  for (const run of status.checkRuns.filter((r) => r.status === "completed" && failedConclusions.has(r.conclusion ?? ""))) {
    lines.push(`Check "${run.name}": ${run.conclusion}${run.title ? ` — ${run.title}` : ""}`);
    if (run.summary) lines.push(run.summary.trim());
    for (const a of run.annotations) lines.push(`- ${a.path}${a.line ? `:${a.line}` : ""}${a.level ? ` [${a.level}]` : ""}: ${a.title ? `${a.title}: ` : ""}${a.message}`);
    lines.push("");
  }
  for (const s of status.statuses.filter((s) => s.state === "failure" || s.state === "error")) {
    lines.push(`Status "${s.context}": ${s.state}${s.description ? ` — ${s.description}` : ""}${s.targetUrl ? ` (${s.targetUrl})` : ""}`);
  }
  return lines.join("\n").trim();
}
