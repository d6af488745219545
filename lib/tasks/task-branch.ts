// A task's branch: one writer at a time, keeping it current with its base, and cleaning up.
import { db } from "@/lib/db";
import type { FollowUpStatus, TaskStatus } from "@/lib/generated/prisma/enums";
import { pushBranch } from "@/lib/git/branches";
import { runGit } from "@/lib/git/run-git";
import { listWorkspaces, removeWorkspaces, workspaceLastUsedAt } from "@/lib/git/workspace";
import { openSessionWorkspace } from "@/lib/github/repository";
import { type TaskContext, taskCheckoutKey } from "./role-sessions";

// One writer per task branch. run-task iterations and human follow-ups take this lease in
// turn before they change a branch. Inngest's concurrency limits count executing steps, not
// runs, so they cannot give this exclusion; a row per branch, taken with one conditional
// upsert, can. A holder that crashed frees the branch when its lease expires (database clock,
// so every app instance agrees on "expired").
export type BranchLeaseRequest = {
  /** From branchLeaseKey: "owner/name:branch". */
  key: string;
  /** Who writes, e.g. "task:<taskId>" or "follow-up:<id>". */
  holder: string;
};

/** The lease key of a branch: "owner/name:branch". */
export function branchLeaseKey(repository: { owner: string; name: string }, branch: string): string {
  return `${repository.owner}/${repository.name}:${branch}`;
}

/**
 * Takes the branch, atomically. True when the lease was free, expired, or already held by
 * this holder (then it is renewed for another ttlMs); false while someone else holds it.
 */
export async function acquireBranchLease(request: BranchLeaseRequest & { ttlMs: number }): Promise<boolean> {
  if (!Number.isFinite(request.ttlMs) || request.ttlMs <= 0) throw new Error(`ttlMs must be a positive number, got ${request.ttlMs}`);
  // One statement: concurrent acquirers serialise on the key's row, and exactly one of them
  // sees the row free (or expired) and takes it; a renewal keeps the original acquiredAt.
  const rows = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO "BranchLease" (key, holder, "acquiredAt", "expiresAt")
    VALUES (${request.key}, ${request.holder}, now(), now() + ${request.ttlMs} * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      holder = EXCLUDED.holder,
      "acquiredAt" = CASE WHEN "BranchLease".holder = EXCLUDED.holder THEN "BranchLease"."acquiredAt" ELSE now() END,
      "expiresAt" = EXCLUDED."expiresAt"
    WHERE "BranchLease".holder = EXCLUDED.holder OR "BranchLease"."expiresAt" <= now()
    RETURNING key`;
  return rows.length === 1;
}

/** Frees the branch if this holder still holds it; true when it did. Never frees another holder's lease. */
export async function releaseBranchLease(request: BranchLeaseRequest): Promise<boolean> {
  const { count } = await db.branchLease.deleteMany({ where: { key: request.key, holder: request.holder } });
  return count === 1;
}

/** Who holds the branch now (an expired lease counts as free), for status and tests. */
export async function readBranchLeaseHolder(key: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ holder: string }[]>`SELECT holder FROM "BranchLease" WHERE key = ${key} AND "expiresAt" > now()`;
  return rows[0]?.holder ?? null;
}

// Keeps a task branch on top of what it builds on. Before every iteration the latest base
// branch (a dependency's branch that changed after review, or the default branch) and any
// further dependencies' branches are merged in and pushed. A merge, not a rebase: the PR's
// history and its review comments stay valid, and nothing is force-pushed. A conflicting
// merge is left out and reported, so the iteration goes on with the branch as it was.
export type SyncResult = { headSha: string; merged: string[]; conflicts: { branch: string; files: string[] }[] };

export async function syncTaskBranch(options: { context: TaskContext; branches: string[] }): Promise<SyncResult> {
  const task = options.context.task;
  const opened = await openSessionWorkspace({ repository: options.context.repository, workspaceKey: taskCheckoutKey(task.id), branch: task.branch! });
  const cwd = opened.workspace;
  const merged: string[] = [];
  const conflicts: SyncResult["conflicts"] = [];
  for (const name of new Set(options.branches)) {
    const ref = `refs/remotes/origin/${name}`;
    if ((await runGit({ cwd, args: ["rev-parse", "--verify", "--quiet", ref], allowedExitCodes: [1] })).exitCode !== 0) continue;
    if ((await runGit({ cwd, args: ["merge-base", "--is-ancestor", ref, "HEAD"], allowedExitCodes: [1] })).exitCode === 0) continue;
    const merge = await runGit({ cwd, args: ["merge", "--no-edit", "--no-ff", "-m", `Merge ${name} into ${task.branch}`, ref], allowedExitCodes: [1] });
    if (merge.exitCode === 0) {
      merged.push(name);
      continue;
    }
    const { stdout } = await runGit({ cwd, args: ["diff", "--name-only", "--diff-filter=U"] });
    conflicts.push({ branch: name, files: stdout.split("\n").filter(Boolean) });
    await runGit({ cwd, args: ["merge", "--abort"] });
  }
  if (merged.length) await pushBranch({ workspace: cwd, branch: task.branch!, token: opened.token, allowWorkflowChanges: options.context.run.allowWorkflowChanges });
  const { stdout } = await runGit({ cwd, args: ["rev-parse", "HEAD"] });
  return { headSha: stdout.trim(), merged, conflicts };
}

// Disk stays bounded however many runs the factory does: when a task ends, its clones go (each
// session's, and its checkout and base checkouts), and so do clones left behind by tasks that
// ended without cleaning up (cancelled, crashed). Mirrors stay. Call it in a step at task end.
const busyTaskStatuses: TaskStatus[] = ["pending", "running"];
const busyFollowUpStatuses: FollowUpStatus[] = ["queued", "running"];
/** A workspace with no session or task behind it is removed once it has been idle this long. */
const orphanIdleMs = 3600_000;

/** The task a workspace belongs to, by its name: checkout-<task>, base-<task> (either with -attempt-<N>), or a session id. */
const taskIdPrefix = /^(?:checkout|base)-(.+?)(?:-attempt-\d+)?$/;

/** `taskId`: the task ending now, whose clones go even before its final status is written. */
export async function cleanupTaskWorkspaces(options: { taskId?: string; now?: number } = {}): Promise<{ removed: string[] }> {
  const names = listWorkspaces();
  if (names.length === 0) return { removed: [] };
  const sessionNames = names.filter((name) => !taskIdPrefix.test(name));
  const sessions = await db.agentSession.findMany({
    where: { id: { in: sessionNames } },
    select: { id: true, taskId: true, status: true },
  });
  const sessionById = new Map(sessions.map((session) => [session.id, session]));
  const taskIdOf = (name: string) => taskIdPrefix.exec(name)?.[1] ?? sessionById.get(name)?.taskId ?? null;

  const taskIds = [...new Set(names.map(taskIdOf).filter((id): id is string => id !== null))];
  const tasks = await db.task.findMany({
    where: { id: { in: taskIds } },
    select: { id: true, status: true, followUps: { where: { status: { in: busyFollowUpStatuses } }, select: { id: true } } },
  });
  const hasActiveFollowUp = new Set(tasks.filter((task) => task.followUps.length > 0).map((task) => task.id));
  const busyTaskIds = new Set(tasks.filter((task) => busyTaskStatuses.includes(task.status) || hasActiveFollowUp.has(task.id)).map((task) => task.id));
  const knownTaskIds = new Set(tasks.map((task) => task.id));
  const now = options.now ?? Date.now();

  const isRemovable = (name: string): boolean => {
    const taskId = taskIdOf(name);
    const session = sessionById.get(name);
    // A planner session has no task: its clone goes once the session is over.
    if (session && taskId === null) return session.status !== "running";
    if (taskId === null || !knownTaskIds.has(taskId)) return now - workspaceLastUsedAt(name) > orphanIdleMs;
    // The ending task's own clones go even before its final status is written, unless a
    // human follow-up is queued or working on the branch.
    if (taskId === options.taskId) return !hasActiveFollowUp.has(taskId);
    return !busyTaskIds.has(taskId);
  };
  return { removed: removeWorkspaces(names.filter(isRemovable)) };
}
