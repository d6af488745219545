// The Octokit the factory uses, and the one mapping of its errors to AppError.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { createHash } from "node:crypto";
import { getEnv } from "@/lib/env";
import { AppError, type ErrorCode } from "@/lib/errors";
import { redactSecrets } from "@/lib/redact";

// Turns whatever Octokit throws into an AppError a user can read, with no secret in it.
type GitHubErrorBody = { message?: unknown; errors?: unknown };

/** Octokit's RequestError, recognised by shape (its package is not a direct dependency). */
export type GitHubRequestError = Error & {
  status: number;
  response?: { data?: unknown; headers: Record<string, string | number | undefined> };
};

function isGitHubRequestError(error: unknown): error is GitHubRequestError {
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

// Builds the Octokit the factory uses: throttling (primary and secondary rate limits) and
// retry (5xx) plugins with bounded waits, and a logger that never prints a secret.
//
// Writes follow GitHub's secondary-rate-limit guidance per credential (a token, or an App
// installation's token), not per process: one mutating request at a time, at least ~1 s after
// the previous one ends, and no write while GitHub has said to wait (retry-after, or an
// exhausted x-ratelimit-remaining until x-ratelimit-reset). Different credentials never wait
// for each other. Reads are not paced.
const FactoryOctokit = Octokit.plugin(throttling, retry);

export type GitHubClient = InstanceType<typeof FactoryOctokit>;

export type CreateGitHubClientOptions = {
  /** Default GITHUB_API_URL. */
  baseUrl?: string;
  /** A fixed token (PAT), or a source of short-lived tokens (GitHub App installation). */
  auth: { token: string } | { getToken: () => Promise<string> };
  /** Retries per request for rate limits and for 5xx (default 3). */
  maxRetries?: number;
  /** A rate limit that resets later than this is not waited for: the call fails (default 120 s). */
  maxRateLimitWaitSec?: number;
  /** Multiplies every wait; tests pass a small factor so a 2 s reset takes milliseconds. */
  waitScale?: number;
  /** Pacing of mutating requests per credential (default on); tests of other things turn it off. */
  isWritePacingEnabled?: boolean;
  /** The gap after one write ends before the next starts, per credential (default 1000 ms). */
  writeGapMs?: number;
};

/** GitHub: "If you are making a large number of POST, PATCH, PUT, or DELETE requests for a single user or client ID, wait at least one second between each request." */
const defaultWriteGapMs = 1000;

export function createGitHubClient(options: CreateGitHubClientOptions): GitHubClient {
  const maxRetries = options.maxRetries ?? 3;
  const maxWaitSec = options.maxRateLimitWaitSec ?? 120;
  const scale = options.waitScale ?? 1;
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => console.warn(`[github] ${redactSecrets(String(message))}`),
    error: (message: string) => console.error(`[github] ${redactSecrets(String(message))}`),
  };
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string } & Record<string, unknown>, _octokit: unknown, retryCount: number) => {
    const willRetry = retryCount < maxRetries && retryAfter <= maxWaitSec;
    const path = request.url.replace(/\{(\w+)\}/g, (_match, name: string) => String(request[name] ?? name));
    log.warn(`${kind} on ${request.method} ${path}; ${willRetry ? `retrying in ${retryAfter}s` : "giving up"}`);
    return willRetry;
  };

  const client = new FactoryOctokit({
    baseUrl: (options.baseUrl ?? getEnv().GITHUB_API_URL).replace(/\/$/, ""),
    auth: "token" in options.auth ? options.auth.token : undefined,
    userAgent: "dark-factory",
    log,
    throttle: {
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
      retryAfterBaseValue: 1000 * scale,
      fallbackSecondaryRateRetryAfter: 60,
      // The plugin's own write queues are one per process for every client; the lanes below
      // replace them with one per credential.
      write: unpacedGroup as never,
      notifications: unpacedGroup as never,
      id: "token" in options.auth ? fingerprint(options.auth.token) : "github-app",
    },
    retry: { retries: maxRetries, retryAfterBaseValue: 1000 * scale },
  });

  if (options.isWritePacingEnabled !== false) {
    const gapMs = options.writeGapMs ?? defaultWriteGapMs;
    const { auth } = options;
    // Registered before the auth hook below, so it runs inside it (hooks registered later wrap
    // earlier ones) and around the throttling and retry plugins: a write's retries keep its lane.
    client.hook.wrap("request", async (request, requestOptions) => {
      if (!isMutating(requestOptions.method, requestOptions.url)) return request(requestOptions);
      const credential = fingerprint("token" in auth ? auth.token : await auth.getToken());
      return inWriteLane(credential, { gapMs, maxWaitMs: maxWaitSec * 1000 * scale, scale }, async () => await request(requestOptions));
    });
  }

  if ("getToken" in options.auth) {
    const { getToken } = options.auth;
    // Asked per request, so a refreshed installation token is picked up without a new client.
    client.hook.before("request", async (request) => {
      request.headers.authorization = `token ${await getToken()}`;
    });
  }
  return client;
}

type WriteLane = { tail: Promise<void>; nextWriteAt: number };

/** One lane per credential fingerprint, shared by every client in the process using it. */
const writeLanes = new Map<string, WriteLane>();

async function inWriteLane<T>(credential: string, timing: { gapMs: number; maxWaitMs: number; scale: number }, run: () => Promise<T>): Promise<T> {
  let lane = writeLanes.get(credential);
  if (!lane) {
    lane = { tail: Promise.resolve(), nextWriteAt: 0 };
    writeLanes.set(credential, lane);
  }
  const current = lane;
  const result = current.tail.then(async () => {
    const waitMs = current.nextWriteAt - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    let headers: Record<string, unknown> | undefined;
    try {
      const response = (await run()) as { headers?: Record<string, unknown> };
      headers = response?.headers;
      return response as T;
    } catch (error) {
      headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers;
      throw error;
    } finally {
      const now = Date.now();
      current.nextWriteAt = Math.max(current.nextWriteAt, now + timing.gapMs, now + Math.min(timing.maxWaitMs, waitAskedFor(headers, now, timing.scale)));
    }
  });
  current.tail = result.then(() => undefined, () => undefined);
  return result;
}

/** How long GitHub asked this credential to hold off, from a response's headers (ms). */
function waitAskedFor(headers: Record<string, unknown> | undefined, now: number, scale: number): number {
  if (!headers) return 0;
  const retryAfterSec = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfterSec) && retryAfterSec > 0) return retryAfterSec * 1000 * scale;
  const resetSec = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(resetSec)) return Math.max(0, resetSec * 1000 - now) * scale;
  return 0;
}

function isMutating(method: string, url: string): boolean {
  // GraphQL goes through POST either way; the factory only sends mutations there.
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase()) || url.startsWith("/graphql");
}

function fingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stands in for the throttling plugin's process-wide Bottleneck groups (replaced by the lanes). */
const unpacedGroup = {
  key: () => ({ schedule: <T>(_options: unknown, job: () => Promise<T>) => job() }),
};
