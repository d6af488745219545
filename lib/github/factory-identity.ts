// How the factory recognises its own comments and reviews: its login and hidden markers.
import { createHash } from "node:crypto";
import { getEnv } from "@/lib/env";
import { getAppTokenSource, getGitHubClient, type RepoRef } from "./app-auth";
import { type GitHubClient, toGitHubError } from "./github-client";

// Who the factory is on GitHub: the login its comments, reviews and PRs are authored by. A hidden
// marker proves nothing on its own (anyone can paste it into a comment), so "the factory's own"
// always means "carries the marker and was written by this login".
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

// Hidden HTML comments that let the factory find its own PR bodies, reviews and comments
// again, so every write can be re-run without duplicating anything. A marker counts only on
// something the factory's own account wrote: anyone can paste the text into a comment.
const prefix = "<!-- dark-factory:";

type Authored = { body?: string | null; user?: { login: string } | null };

/** e.g. hiddenMarker("review", "run1-t1-iter2") -> "<!-- dark-factory:review:run1-t1-iter2 -->" */
export function hiddenMarker(kind: "review" | "status" | "pr" | "reply", key?: string): string {
  const safeKey = key?.replace(/[^\w.:-]/g, "_");
  return `${prefix}${kind}${safeKey ? `:${safeKey}` : ""} -->`;
}

function hasHiddenMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === "string" && body.includes(marker);
}

/** The factory's own comment or review carrying `marker`: both the marker and the author match. */
export function isOwnMarked(item: Authored, marker: string, factoryLogin: string): boolean {
  return hasHiddenMarker(item.body, marker) && isSameLogin(item.user, factoryLogin);
}

/** True for anything the factory wrote (its reviews and comments come back as webhooks). */
export function isFactoryAuthored(item: Authored, factoryLogin: string): boolean {
  return typeof item.body === "string" && item.body.includes(prefix) && isSameLogin(item.user, factoryLogin);
}

/** Whether a body carries any factory marker, whoever wrote it (cheap pre-check). */
export function hasAnyFactoryMarker(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(prefix);
}
