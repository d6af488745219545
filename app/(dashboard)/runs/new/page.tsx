import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { NewRunForm } from "@/components/runs/new-run-form";
import { isActiveSession } from "@/lib/auth/session";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { toRerunPrefill, type NewRunPrefill } from "@/lib/client/rerun";
import { AppError } from "@/lib/errors";
import { getRunDetailOrThrow } from "@/lib/runs/read-runs";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New run" };

type Props = { searchParams: Promise<{ from?: string | string[] }> };

/** `?from=<run id>` re-runs that run: the form starts from its spec, limits and models, loaded here. */
export default async function NewRunPage({ searchParams }: Props) {
  const { from } = await searchParams;
  const sourceRunId = typeof from === "string" && from.trim() ? from.trim() : null;
  let prefill: NewRunPrefill | undefined;
  let isSourceMissing = false;
  if (sourceRunId) {
    // The proxy only checks that a cookie is present; a run's spec needs a live session.
    if (!(await isActiveSession((await cookies()).get(sessionCookieName)?.value))) {
      redirect(`/login?next=${encodeURIComponent(`/runs/new?from=${sourceRunId}`)}`);
    }
    try {
      prefill = toRerunPrefill(await getRunDetailOrThrow(sourceRunId));
    } catch (error) {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
      isSourceMissing = true;
    }
  }

  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <PageHeader
        title={prefill ? "Re-run" : "New run"}
        description={
          prefill ? (
            <p data-testid="rerun-source" className="text-sm text-slate-500">
              Starting from{" "}
              <Link href={`/runs/${prefill.sourceRunId}`} className="font-medium text-accent-700 hover:underline">
                {prefill.title}
              </Link>
              . Change the models per role, or anything else, and start a new run; the original stays as it is.
            </p>
          ) : (
            "Describe the change. The factory plans it into tasks and opens a pull request for each, within your budget."
          )
        }
      />
      {isSourceMissing && (
        <p role="alert" data-testid="rerun-source-missing" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          There is no run <span className="font-mono">{sourceRunId}</span> to start from; the form is empty.
        </p>
      )}
      <NewRunForm key={prefill?.sourceRunId ?? "new"} prefill={prefill} />
    </div>
  );
}
