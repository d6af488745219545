import type { Metadata } from "next";
import { RepositoriesView } from "@/components/repositories/repositories-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Repositories" };

export default function RepositoriesPage() {
  return (
    <div className="space-y-4">
      <PageHeader
        title="Repositories"
        description="How the factory sets up, tests, lints and builds each repository. Detected from its files on first use; your edits are kept."
      />
      <RepositoriesView />
    </div>
  );
}
