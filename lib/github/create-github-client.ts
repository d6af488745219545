// Builds the Octokit the factory uses: throttling (primary and secondary rate limits) and
// retry (5xx) plugins with bounded waits, and a logger that never prints a secret.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { getEnv } from "../env";
import { redactSecrets } from "../redact";

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
  /** GitHub asks integrators to space writes ~1 s apart (3 s for ones that notify people); tests turn the pacing off. */
  isWritePacingEnabled?: boolean;
};

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
      ...(options.isWritePacingEnabled === false ? { write: unpacedGroup as never, notifications: unpacedGroup as never } : {}),
    },
    retry: { retries: maxRetries, retryAfterBaseValue: 1000 * scale },
  });

  if ("getToken" in options.auth) {
    const { getToken } = options.auth;
    // Asked per request, so a refreshed installation token is picked up without a new client.
    client.hook.before("request", async (request) => {
      request.headers.authorization = `token ${await getToken()}`;
    });
  }
  return client;
}

/** Stands in for the throttling plugin's Bottleneck group when pacing is off. */
const unpacedGroup = {
  key: () => ({ schedule: <T>(_options: unknown, job: () => Promise<T>) => job() }),
};
