// Who the factory is on GitHub: the login its comments, reviews and PRs are authored by. A hidden
// marker proves nothing on its own (anyone can paste it into a comment), so "the factory's own"
// always means "carries the marker and was written by this login".
import { createHash } from "node:crypto";
import { getEnv } from "../env";
import type { GitHubClient } from "./create-github-client";
import { getAppTokenSource, getGitHubClient, type RepoRef } from "./get-github-client";
import { toGitHubError } from "./to-github-error";

const byClient = new WeakMap<GitHubClient, Promise<string>>();
const byCredential = new Map<string, Promise<string>>();

/** The factory's login (`<app-slug>[bot]` for a GitHub App), looked up once per credential. */
export async function getFactoryLogin(ref: RepoRef): Promise<string> {
  if (ref.client) return remember(byClient, ref.client, () => readTokenLogin(ref.client!));
  const env = getEnv();
  const appSource = getAppTokenSource();
  if (appSource) {
    return remember(byCredential, `app:${env.GITHUB_APP_ID}@${env.GITHUB_API_URL}`, async () => {
      try {
        return `${await appSource.getAppSlug()}[bot]`;
      } catch (error) {
        throw toGitHubError(error, "read the GitHub App's own name (GET /app)");
      }
    });
  }
  const fingerprint = createHash("sha256").update(env.GITHUB_TOKEN ?? "").digest("hex").slice(0, 16);
  return remember(byCredential, `token:${fingerprint}@${env.GITHUB_API_URL}`, async () => readTokenLogin(await getGitHubClient(ref)));
}

/** True when `user` is the factory itself (GitHub logins are case-insensitive). */
export function isSameLogin(user: { login: string } | null | undefined, factoryLogin: string): boolean {
  return typeof user?.login === "string" && user.login.toLowerCase() === factoryLogin.toLowerCase();
}

async function readTokenLogin(client: GitHubClient): Promise<string> {
  try {
    return (await client.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    throw toGitHubError(error, "read the factory's own login (GET /user)");
  }
}

function remember<K extends object | string>(cache: { get(key: K): Promise<string> | undefined; set(key: K, value: Promise<string>): unknown; delete(key: K): unknown }, key: K, load: () => Promise<string>): Promise<string> {
  let found = cache.get(key);
  if (!found) {
    found = load();
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}
