// Repository facts from GitHub: metadata, a user's write access, CI status, and a local
// checkout made from them.
import { db } from "@/lib/db";
import { prepareWorkspace } from "@/lib/git/workspace";
import { getGitHubClient, resolveGitHubToken, type RepoRef } from "./app-auth";
import { toGitHubError, hasGitHubStatus } from "./github-client";

// Reads what the factory needs to know about a repository before working on it.
export type RepositoryInfo = {
  fullName: string;
  defaultBranch: string;
  cloneUrl: string;
  htmlUrl: string;
  isPrivate: boolean;
  permissions: { admin: boolean; push: boolean; pull: boolean };
  canPush: boolean;
};

export async function readRepository(ref: RepoRef): Promise<RepositoryInfo> {
  const client = await getGitHubClient(ref);
  try {
    const { data } = await client.rest.repos.get({ owner: ref.owner, repo: ref.repo });
    const permissions = { admin: !!data.permissions?.admin, push: !!data.permissions?.push, pull: !!data.permissions?.pull };
    return {
      fullName: data.full_name,
      defaultBranch: data.default_branch,
      cloneUrl: data.clone_url,
      htmlUrl: data.html_url,
      isPrivate: data.private,
      permissions,
      canPush: permissions.push || permissions.admin,
    };
  } catch (error) {
    throw toGitHubError(error, `read repository ${ref.owner}/${ref.repo}`);
  }
}

// Whether a GitHub user may steer the factory: write access to the repository, as GitHub's
// collaborator permission says. The author association on a review (MEMBER, COLLABORATOR) is
// not that: an organisation member or a read-only collaborator has one too.
export type WriteAccess = {
  username: string;
  /** GitHub's base permission: admin | write | read | none (maintain reads as write, triage as read). */
  permission: string;
  /** The role: admin | maintain | write | triage | read, or a custom role's name; null when GitHub gives none. */
  roleName: string | null;
  hasWriteAccess: boolean;
};

const writePermissions = new Set(["admin", "write"]);
const writeRoles = new Set(["admin", "maintain", "write"]);

/** `GET /repos/{owner}/{repo}/collaborators/{username}/permission`; a login GitHub does not know has no access. */
export async function readWriteAccess(input: RepoRef & { username: string }): Promise<WriteAccess> {
  const client = await getGitHubClient(input);
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ owner: input.owner, repo: input.repo, username: input.username });
    const roleName = data.role_name ?? null;
    return {
      username: input.username,
      permission: data.permission,
      roleName,
      hasWriteAccess: writePermissions.has(data.permission) || (roleName !== null && writeRoles.has(roleName)),
    };
  } catch (error) {
    if (hasGitHubStatus(error, 404)) return { username: input.username, permission: "none", roleName: null, hasWriteAccess: false };
    throw toGitHubError(error, `read ${input.username}'s permission on ${input.owner}/${input.repo}`);
  }
}

// CI state of a commit, combining check runs (Actions, Apps) and commit statuses (older CI),
// with what a failed check said (title, summary, annotations) so a fixer can act on it.
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

// Workspaces are caches: every workflow step re-creates or refreshes its own from GitHub (the
// branch is the truth), so a step can run on any worker.
export async function openSessionWorkspace(options: {
  repository: { id: string; owner: string; name: string; defaultBranch: string };
  workspaceKey: string;
  branch: string;
}) {
  const ref = { owner: options.repository.owner, repo: options.repository.name };
  const [info, token] = await Promise.all([readRepository(ref), resolveGitHubToken(ref)]);
  if (info.defaultBranch !== options.repository.defaultBranch) {
    await db.repository.update({ where: { id: options.repository.id }, data: { defaultBranch: info.defaultBranch } });
  }
  const prepared = await prepareWorkspace({
    repo: { owner: ref.owner, name: ref.repo, remoteUrl: info.cloneUrl, defaultBranch: info.defaultBranch },
    sessionId: options.workspaceKey,
    branch: options.branch,
    token,
  });
  return { ...prepared, token, defaultBranch: info.defaultBranch };
}
