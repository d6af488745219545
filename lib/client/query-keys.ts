// Query-key factories: every cache entry for a resource hangs under one root key.

export const runKeys = {
  all: ["runs"] as const,
  lists: () => [...runKeys.all, "list"] as const,
  list: (options: { limit: number }) => [...runKeys.lists(), options] as const,
  details: () => [...runKeys.all, "detail"] as const,
  detail: (id: string) => [...runKeys.details(), id] as const,
};

/** One entry: GET /api/model-prices answers prices and role models together. */
export const modelPriceKeys = {
  all: ["model-prices"] as const,
};
