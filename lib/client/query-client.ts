// TanStack Query wiring: the query-client factory and the query-key factories.
import { MutationCache, QueryCache, QueryClient, isServer } from "@tanstack/react-query";
import { ApiError } from "./api-fetch";

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

// One query-client factory. In the browser the client is a singleton; on the server each
// request gets its own, so no data leaks between users.
/** Set `meta: { isAuthRedirectDisabled: true }` on a query or mutation whose 401 is an answer, not an expired session (login). */
type ClientMeta = { isAuthRedirectDisabled?: boolean };

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => redirectToLoginOnUnauthenticated(error, query.meta as ClientMeta | undefined),
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) =>
        redirectToLoginOnUnauthenticated(error, mutation.meta as ClientMeta | undefined),
    }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not change by asking again; network blips and 5xx might.
        retry: (failureCount, error) => {
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

export function getQueryClient() {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

/** The login page path that brings the user back here afterwards. */
function buildLoginPath(nextPath: string) {
  return `/login?next=${encodeURIComponent(nextPath)}`;
}

function redirectToLoginOnUnauthenticated(error: unknown, meta: ClientMeta | undefined) {
  if (typeof window === "undefined" || meta?.isAuthRedirectDisabled) return;
  if (!(error instanceof ApiError) || !error.isUnauthenticated) return;
  if (window.location.pathname === "/login") return;
  window.location.assign(buildLoginPath(window.location.pathname + window.location.search));
}
