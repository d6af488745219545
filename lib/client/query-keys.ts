// Query-key factories: every cache entry for a resource hangs under one root key.

export const runKeys = {
  all: ["runs"] as const,
  lists: () => [...runKeys.all, "list"] as const,
  list: (options: { limit: number; status?: string; repo?: string; q?: string }) => [...runKeys.lists(), options] as const,
  details: () => [...runKeys.all, "detail"] as const,
  detail: (id: string) => [...runKeys.details(), id] as const,
};

/** One entry: GET /api/model-prices answers prices and role models together. */
export const modelPriceKeys = {
  all: ["model-prices"] as const,
};

/** Repository profiles: one list holds them all (GET /api/repositories). */
export const repositoryKeys = {
  all: ["repositories"] as const,
  list: () => [...repositoryKeys.all, "list"] as const,
};
