import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsList } from "@/components/runs/runs-list";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  // RunsList reads its filters from the URL (useSearchParams).
  return (
    <Suspense fallback={<p role="status" className="py-10 text-center text-sm text-slate-500">Loading runs…</p>}>
      <RunsList />
    </Suspense>
  );
}
