// Turns whatever Octokit throws into an AppError a user can read, with no secret in it.
import { AppError, type ErrorCode } from "../errors";
import { redactSecrets } from "../redact";

type GitHubErrorBody = { message?: unknown; errors?: unknown };

/** Octokit's RequestError, recognised by shape (its package is not a direct dependency). */
export type GitHubRequestError = Error & {
  status: number;
  response?: { data?: unknown; headers: Record<string, string | number | undefined> };
};

export function isGitHubRequestError(error: unknown): error is GitHubRequestError {
  return error instanceof Error && error.name === "HttpError" && typeof (error as { status?: unknown }).status === "number";
}

/** `action` says what the factory was doing, e.g. "open a pull request for factory/r1-t1". */
export function toGitHubError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  if (isGitHubRequestError(error)) {
    const body = (error.response?.data ?? {}) as GitHubErrorBody;
    const message = typeof body.message === "string" ? body.message : error.message.split(" - ")[0];
    const details = describeErrors(body.errors);
    const text = `GitHub could not ${action}: ${error.status} ${message}${details ? ` (${details})` : ""}${hintFor(error.status)}`;
    // Bad credentials stay bad however often they are retried; the operator has to fix them.
    const isRetryable = error.status === 401 ? false : undefined;
    return new AppError(codeFor(error), redactSecrets(text), { details: { githubStatus: error.status }, isRetryable });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError("bad_gateway", redactSecrets(`GitHub could not ${action}: ${reason}`));
}

/** True when GitHub answered with this status (used to treat "already exists" as success). */
export function hasGitHubStatus(error: unknown, status: number): error is GitHubRequestError {
  return isGitHubRequestError(error) && error.status === status;
}

function codeFor(error: GitHubRequestError): ErrorCode {
  const headers = error.response?.headers ?? {};
  if (error.status === 429 || (error.status === 403 && headers["x-ratelimit-remaining"] === "0")) return "rate_limited";
  if (error.status === 401) return "bad_gateway";
  if (error.status === 403) return "forbidden";
  if (error.status === 404) return "not_found";
  if (error.status === 409) return "conflict";
  if (error.status === 422) return "unprocessable";
  return "bad_gateway";
}

function hintFor(status: number): string {
  if (status === 401) return ". Check GITHUB_TOKEN (or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY).";
  if (status === 404) return ". Check the repository name and that the credentials can see it.";
  return "";
}

function describeErrors(errors: unknown): string {
  if (!Array.isArray(errors)) return "";
  return errors
    .map((e) => (typeof e === "string" ? e : typeof e?.message === "string" ? e.message : [e?.resource, e?.field, e?.code].filter(Boolean).join(" ")))
    .filter(Boolean)
    .join("; ");
}
