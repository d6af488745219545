// Disk stays bounded however many runs the factory does: when a task ends, its clones go (each
// session's, and its checkout and base checkouts), and so do clones left behind by tasks that
// ended without cleaning up (cancelled, crashed). Mirrors stay. Call it in a step at task end.
import { db } from "../db";
import { listWorkspaces, removeWorkspaces, workspaceLastUsedAt } from "../git/cleanup-workspaces";
import type { FollowUpStatus, TaskStatus } from "../generated/prisma/enums";

const busyTaskStatuses: TaskStatus[] = ["pending", "running"];
const busyFollowUpStatuses: FollowUpStatus[] = ["queued", "running"];
/** A workspace with no session or task behind it is removed once it has been idle this long. */
const orphanIdleMs = 3600_000;

/** The task a workspace belongs to, by its name: checkout-<task>, base-<task> (either with -attempt-<N>), or a session id. */
const taskIdPrefix = /^(?:checkout|base)-(.+?)(?:-attempt-\d+)?$/;

export async function cleanupTaskWorkspaces(options: { taskId: string; now?: number }): Promise<{ removed: string[] }> {
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
