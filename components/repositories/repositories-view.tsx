"use client";

import { useRepositories } from "../../lib/client/use-repositories";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { RepositoryProfileCard } from "./repository-profile-card";

/** Every repository the factory has worked on, with its profile. */
export function RepositoriesView() {
  const repositoriesQuery = useRepositories();
  if (repositoriesQuery.isPending) {
    return (
      <p role="status" className="py-10 text-center text-sm text-slate-500">
        Loading repositories…
      </p>
    );
  }
  if (repositoriesQuery.isError) {
    return (
      <Card role="alert" className="px-4 py-10 text-center text-sm">
        <p className="text-red-700">Could not load repositories: {repositoriesQuery.error.message}</p>
        <Button variant="secondary" size="sm" className="mt-3" onClick={() => repositoriesQuery.refetch()}>
          Retry
        </Button>
      </Card>
    );
  }
  const { repositories } = repositoriesQuery.data;
  if (repositories.length === 0) {
    return (
      <Card data-testid="repositories-empty" className="px-4 py-10 text-center text-sm text-slate-500">
        No repositories yet. A repository appears here when a run first uses it, and its profile is detected from its files.
      </Card>
    );
  }
  return (
    <div data-testid="repositories-list" className="space-y-4">
      {repositories.map((profile) => (
        <RepositoryProfileCard key={profile.id} profile={profile} />
      ))}
    </div>
  );
}
