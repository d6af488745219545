// GitHub credentials: App installation tokens or a personal token, behind one client getter.
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { toGitHubError, createGitHubClient, type GitHubClient } from "./github-client";

// GitHub App auth: finds the App's installation on a repository and hands out its
// installation token, cached and refreshed a few minutes before it expires.
export type InstallationTokenSource = {
  getToken(owner: string, repo: string): Promise<string>;
  /** The App's slug; its comments and reviews are authored by "<slug>[bot]". */
  getAppSlug(): Promise<string>;
};

export type CreateInstallationTokenSourceOptions = {
  appId: string;
  privateKey: string;
  baseUrl: string;
  /** Refresh this long before expiry (default 5 minutes), so no request carries a dying token. */
  refreshMarginMs?: number;
  now?: () => number;
};

type CachedToken = { token: string; expiresAt: number };

export function createInstallationTokenSource(options: CreateInstallationTokenSourceOptions): InstallationTokenSource {
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  // A plain client (no App hook) for the JWT-authenticated App endpoints.
  const appClient = new Octokit({ baseUrl: options.baseUrl.replace(/\/$/, ""), log: { debug() {}, info() {}, warn() {}, error() {} } });
  const appAuth = createAppAuth({ appId: options.appId, privateKey: options.privateKey, request: appClient.request });
  const installationIds = new Map<string, Promise<number>>();
  const tokens = new Map<number, CachedToken>();
  const inFlight = new Map<number, Promise<CachedToken>>();

  function installationIdFor(owner: string, repo: string): Promise<number> {
    const key = `${owner}/${repo}`.toLowerCase();
    let id = installationIds.get(key);
    if (!id) {
      id = (async () => {
        const { token: jwt } = await appAuth({ type: "app" });
        const { data } = await appClient.request("GET /repos/{owner}/{repo}/installation", {
          owner, repo, headers: { authorization: `bearer ${jwt}` },
        });
        return data.id;
      })();
      id.catch(() => installationIds.delete(key));
      installationIds.set(key, id);
    }
    return id;
  }

  async function issueToken(installationId: number): Promise<CachedToken> {
    // refresh: true skips auth-app's own 59-minute cache; expiry is tracked here instead.
    const result = await appAuth({ type: "installation", installationId, refresh: true });
    return { token: result.token, expiresAt: Date.parse(result.expiresAt) };
  }

  let appSlug: Promise<string> | undefined;

  return {
    getAppSlug() {
      appSlug ??= (async () => {
        const { token: jwt } = await appAuth({ type: "app" });
        const { data } = await appClient.request("GET /app", { headers: { authorization: `bearer ${jwt}` } });
        if (!data?.slug) throw new Error("GET /app returned no slug");
        return data.slug;
      })();
      appSlug.catch(() => (appSlug = undefined));
      return appSlug;
    },
    async getToken(owner, repo) {
      try {
        const installationId = await installationIdFor(owner, repo);
        const cached = tokens.get(installationId);
        if (cached && cached.expiresAt - margin > now()) return cached.token;
        let pending = inFlight.get(installationId);
        if (!pending) {
          pending = issueToken(installationId).finally(() => inFlight.delete(installationId));
          inFlight.set(installationId, pending);
        }
        const fresh = await pending;
        tokens.set(installationId, fresh);
        return fresh.token;
      } catch (error) {
        throw toGitHubError(error, `get a GitHub App installation token for ${owner}/${repo}`);
      }
    },
  };
}

// The one place production code gets GitHub credentials and clients from (env-configured:
// GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY, else GITHUB_TOKEN; GITHUB_API_URL as base URL).
/** A repository, plus an optional client (tests pass one pointed at the local GitHub). */
export type RepoRef = { owner: string; repo: string; client?: GitHubClient };

let tokenSource: InstallationTokenSource | undefined;
const clients = new Map<string, GitHubClient>();

export async function getGitHubClient(ref: RepoRef): Promise<GitHubClient> {
  if (ref.client) return ref.client;
  const env = getEnv();
  const key = env.GITHUB_APP_ID ? `app:${ref.owner}/${ref.repo}`.toLowerCase() : "token";
  let client = clients.get(key);
  if (!client) {
    client = env.GITHUB_APP_ID
      ? createGitHubClient({ auth: { getToken: () => resolveGitHubToken(ref) } })
      : createGitHubClient({ auth: { token: requireToken() } });
    clients.set(key, client);
  }
  return client;
}

/** The token git should use for this repository (via a per-command header, never a URL). */
export async function resolveGitHubToken(ref: Pick<RepoRef, "owner" | "repo">): Promise<string> {
  const source = getAppTokenSource();
  return source ? source.getToken(ref.owner, ref.repo) : requireToken();
}

/** The GitHub App's token source when the factory runs as an App, else null (a PAT). */
export function getAppTokenSource(): InstallationTokenSource | null {
  const env = getEnv();
  if (!env.GITHUB_APP_ID || !env.GITHUB_APP_PRIVATE_KEY) return null;
  tokenSource ??= createInstallationTokenSource({ appId: env.GITHUB_APP_ID, privateKey: env.GITHUB_APP_PRIVATE_KEY, baseUrl: env.GITHUB_API_URL });
  return tokenSource;
}

/** Tests change GITHUB_* between cases; this drops cached clients and tokens. */
export function resetGitHubClients(): void {
  clients.clear();
  tokenSource = undefined;
}

function requireToken(): string {
  const token = getEnv().GITHUB_TOKEN;
  if (!token) {
    throw new AppError("unavailable", "GitHub is not configured: set GITHUB_TOKEN (a token with repo scope), or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY for a GitHub App.");
  }
  return token;
}
