import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { TaskView } from "@/components/tasks/task-view";
import { isActiveSession } from "@/lib/auth/session";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { AppError } from "@/lib/errors";
import { formatUsd } from "@/lib/client/format";
import { getTaskDetailOrThrow, getTaskHeadline } from "@/lib/runs/get-task-detail-or-throw";

type Params = { params: Promise<{ id: string; key: string }> };

/** "greeting · running · $0.0123": re-evaluated on every refresh while the run works. */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id, key } = await params;
  const taskKey = decodeURIComponent(key);
  if (!(await isActiveSession((await cookies()).get(sessionCookieName)?.value))) return { title: `Task ${taskKey}` };
  const headline = await getTaskHeadline({ runId: id, key: taskKey });
  return { title: headline ? `${taskKey} · ${headline.status.replace(/_/g, " ")} · ${formatUsd(headline.costUsd)}` : `Task ${taskKey}` };
}

/** Fetched on the server (transcripts and diffs are large); a client island keeps it live. */
export default async function TaskPage({ params }: Params) {
  const { id, key } = await params;
  // The proxy only checks that a cookie is present; data read here needs a live session.
  if (!(await isActiveSession((await cookies()).get(sessionCookieName)?.value))) {
    redirect(`/login?next=${encodeURIComponent(`/runs/${id}/tasks/${key}`)}`);
  }
  try {
    return <TaskView detail={await getTaskDetailOrThrow({ runId: id, key: decodeURIComponent(key) })} />;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
