import type { Metadata } from "next";
import { RepositoriesView } from "@/components/repositories/repositories-view";

export const metadata: Metadata = { title: "Repositories" };

export default function RepositoriesPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Repositories</h1>
        <p className="text-sm text-slate-500">
          How the factory sets up, tests, lints and builds each repository. Detected from its files on first use; your edits are kept.
        </p>
      </div>
      <RepositoriesView />
    </div>
  );
}
