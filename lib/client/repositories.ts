"use client";

// Repository profiles in the browser: the query and mutation hooks.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RepositoryListDto, RepositoryProfile, UpdateRepositoryProfileInput } from "@/lib/repositories/repository-profile-schema";
import { apiFetch } from "./api-fetch";
import { repositoryKeys } from "./query-client";

const profilePath = (profile: Pick<RepositoryProfile, "owner" | "name">) =>
  `/api/repositories/${encodeURIComponent(profile.owner)}/${encodeURIComponent(profile.name)}`;

/** Every repository the factory knows, with its profile. */
export function useRepositories() {
  return useQuery({
    queryKey: repositoryKeys.list(),
    queryFn: ({ signal }) => apiFetch<RepositoryListDto>("/api/repositories", { signal }),
  });
}

/** Saves a user's edit of a profile; the list is refreshed either way. */
export function useUpdateRepositoryProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ repository, input }: { repository: Pick<RepositoryProfile, "owner" | "name">; input: UpdateRepositoryProfileInput }) =>
      apiFetch<RepositoryProfile>(profilePath(repository), { method: "PUT", json: input }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: repositoryKeys.all }),
  });
}

/** Detects the profile again from the default branch (a user's edits are kept). */
export function useDetectRepositoryProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (repository: Pick<RepositoryProfile, "owner" | "name">) =>
      apiFetch<RepositoryProfile>(`${profilePath(repository)}/detect`, { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: repositoryKeys.all }),
  });
}
