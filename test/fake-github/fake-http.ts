// Routing and GitHub-style errors for the fake's REST API.
import type { FakeState, FakeRepository, FakeUser } from "./fake-state";
import type { ShapeContext } from "./github-shapes";

const documentationUrl = "https://docs.github.com/rest";

/** Thrown by a route: rendered as GitHub renders errors ({ message, documentation_url, errors?, status }). */
export class FakeHttpError extends Error {
  constructor(readonly status: number, message: string, readonly errors?: unknown[], readonly headers: Record<string, string> = {}) {
    super(message);
  }

  toBody() {
    return { message: this.message, documentation_url: documentationUrl, ...(this.errors ? { errors: this.errors } : {}), status: String(this.status) };
  }
}

export const notFound = () => new FakeHttpError(404, "Not Found");

/** GitHub's 422 "Validation Failed" with per-field errors, or a bare "Unprocessable Entity". */
export function unprocessable(errors: unknown[], message = "Validation Failed"): FakeHttpError {
  return new FakeHttpError(422, message, errors.length ? errors : undefined);
}

export type FakeInternals = {
  state: FakeState;
  shape: ShapeContext;
  gitRoot: string;
  options: { allowSelfReview: boolean };
  repoOrThrow(owner: string, name: string): FakeRepository;
  nextId(): number;
};

export type RouteContext = {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  actor: FakeUser;
  fake: FakeInternals;
};

export type RouteResult = { status?: number; body?: unknown; headers?: Record<string, string> };

export type Route = {
  method: string;
  pattern: RegExp;
  /** "app" routes need the App's JWT; "token" routes a PAT or installation token. */
  auth: "token" | "app";
  handle(ctx: RouteContext): Promise<RouteResult> | RouteResult;
};

export function route(method: string, path: string, handle: Route["handle"], auth: Route["auth"] = "token"): Route {
  // ":name" matches one segment, ":name+" the rest of the path.
  const source = path
    .replace(/:(\w+)\+/g, "(?<$1>.+)")
    .replace(/:(\w+)/g, "(?<$1>[^/]+)");
  return { method, pattern: new RegExp(`^${source}$`), auth, handle };
}

export function stringField(body: Record<string, unknown>, field: string, resource: string, required = true): string {
  const value = body[field];
  if (typeof value === "string" && value.length > 0) return value;
  if (!required && value === undefined) return "";
  throw unprocessable([{ resource, field, code: value === undefined ? "missing_field" : "invalid" }]);
}
