// The one place production code gets GitHub credentials and clients from (env-configured:
// GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY, else GITHUB_TOKEN; GITHUB_API_URL as base URL).
import { getEnv } from "../env";
import { AppError } from "../errors";
import { createGitHubClient, type GitHubClient } from "./create-github-client";
import { createInstallationTokenSource, type InstallationTokenSource } from "./create-installation-token-source";

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
