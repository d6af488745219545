import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { InsightsView } from "@/components/insights/insights-view";
import { isActiveSession } from "@/lib/auth/session";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { AppError } from "@/lib/errors";
import { getInsights, insightsQuery } from "@/lib/insights/get-insights";

export const metadata: Metadata = { title: "Insights" };

/** Fetched on the server: the numbers are SQL aggregates and the charts render to SVG here. */
export default async function InsightsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The proxy only checks that a cookie is present; data read here needs a live session.
  if (!(await isActiveSession((await cookies()).get(sessionCookieName)?.value))) redirect("/login?next=/insights");
  const params = await searchParams;
  const query = insightsQuery.safeParse({ from: single(params.from), to: single(params.to) });
  if (!query.success) {
    return <InsightsView error={`${query.error.issues[0].path.join(".")} ${query.error.issues[0].message}`} requested={{ from: single(params.from), to: single(params.to) }} />;
  }
  try {
    return <InsightsView insights={await getInsights(query.data)} requested={query.data} />;
  } catch (error) {
    if (error instanceof AppError && error.code === "bad_request") return <InsightsView error={error.message} requested={query.data} />;
    throw error;
  }
}

function single(value: string | string[] | undefined) {
  return Array.isArray(value) ? value[0] : value;
}
