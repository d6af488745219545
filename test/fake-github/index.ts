/**
 * A faithful local GitHub for tests and the benchmark (test-only: app code never imports it).
 *
 * Stable API — other suites (lib/git token hygiene, benchmark) rely on it:
 *
 *   const gh = await startFakeGitHub({ token, webhookSecret?, login?, allowSelfReview?, app? });
 *   gh.apiUrl                      REST + GraphQL base URL (set GITHUB_API_URL to it)
 *   gh.gitUrl(owner, name)         smart-HTTP clone URL, http://127.0.0.1:<port>/<owner>/<name>.git
 *   await gh.createRepository({ owner, name, defaultBranch?: "main", files?, isPrivate?: true })
 *                                  bare repo seeded with one commit on the default branch
 *   await gh.commitFiles(owner, name, { branch, files: { path: content | null }, message })
 *                                  a new branch starts from the default branch (what a push would do)
 *   await gh.branchSha(owner, name, branch)      sha or null
 *   gh.addCheckRun(owner, name, { headSha, name, status, conclusion, output?, annotations? }); gh.addCommitStatus(owner, name, { sha, state, context })
 *   gh.onPush(({ owner, name, branch, sha }) => ...)   after each git push, per moved branch (fake CI hooks here)
 *   gh.setPermission(owner, name, login, "admin" | "maintain" | "write" | "triage" | "read")
 *                                  what GET /repos/{o}/{r}/collaborators/{login}/permission answers for a user
 *                                  from addUser (none until set; the token's user: admin; unknown logins: 404)
 *   await gh.mergePullRequest(owner, name, number)   real merge commit on the base branch
 *   gh.state                       inspect: pulls, reviews, issueComments, checkRuns, statuses, requests, installationTokens
 *   gh.countRequests(method, path) how many API requests matched (path: string or RegExp)
 *   gh.injectFault({ kind: "rate-limit" | "secondary-rate-limit" | "server-error", method?, path?, times? }); gh.clearFaults()
 *   gh.addUser(login)              a token for another GitHub user (REST only), e.g. a stranger who comments
 *   gh.webhookRequest(url, { event, payload, secret?, deliveryId?, isSigned? })  a signed Request (call a route directly)
 *   await gh.sendWebhook(url, { ... })  POSTs it over HTTP; { status, body, deliveryId }
 *   await gh.close()
 *
 * Git: `git http-backend` (CGI) behind basic auth that accepts only the configured token (or
 * an installation token it issued) as the password (any username, e.g. x-access-token), or
 * as the username with an empty / x-oauth-basic password — as github.com does. Nothing else.
 * REST: `Authorization: token <t>` or `Bearer <t>`; App routes need an RS256 JWT from `app`.
 */
import { createVerify } from "node:crypto";
import { mkdtemp, rm, mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createFaultQueue, type FakeFault } from "./faults";
import { FakeHttpError, notFound, type FakeInternals, type Route } from "./fake-http";
import { createFakeState, nowIso, repoKey, type FakeCheckRun, type FakeCommitStatus, type FakeRepository, type FakeRole, type FakeUser } from "./fake-state";
import { serveGitHttpBackend } from "./git-http-backend";
import { commitFiles, initBareRepository, resolveBranch, type CommitFilesInput } from "./git-repo-ops";
import { graphqlRoutes } from "./graphql";
import { appRoutes, type FakeAppOptions } from "./routes-app";
import { addCheckRun, addCommitStatus, checkRoutes } from "./routes-checks";
import { collaboratorRoutes } from "./routes-collaborators";
import { issueRoutes } from "./routes-issues";
import { mergePull, pullRoutes } from "./routes-pulls";
import { repositoryRoutes } from "./routes-repos";
import { reviewRoutes } from "./routes-reviews";
import { fakeAppSlug, userRoutes } from "./routes-users";
import { signWebhook, type WebhookInput } from "./sign-webhook";
import { findPullOrThrow } from "./pull-helpers";
import { runGit } from "./run-git";

export type { FakeFault } from "./faults";
export type { FakeAppOptions } from "./routes-app";
export type { WebhookInput } from "./sign-webhook";

export type StartFakeGitHubOptions = {
  /** The one token accepted for REST and git (a PAT). */
  token: string;
  webhookSecret?: string;
  /** Login of the token's user (default "factory-bot"). */
  login?: string;
  /** GitHub forbids approving or requesting changes on your own PR; true lifts that rule. */
  allowSelfReview?: boolean;
  app?: FakeAppOptions;
};

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;

/** A branch a git push moved. */
export type FakePush = { owner: string; name: string; branch: string; sha: string };

async function listBranches(dir: string): Promise<Map<string, string>> {
  const out = await runGit(["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads"], { cwd: dir });
  return new Map(out.split("\n").filter(Boolean).map((line) => line.split(" ") as [string, string]));
}

export async function startFakeGitHub(options: StartFakeGitHubOptions) {
  const gitRoot = await mkdtemp(path.join(os.tmpdir(), "fake-github-"));
  const state = createFakeState();
  const faults = createFaultQueue();
  const pushListeners = new Set<(push: FakePush) => void>();
  const tokenUser: FakeUser = { login: options.login ?? "factory-bot", id: 501, type: "User" };
  const appUser: FakeUser = { login: `${fakeAppSlug}[bot]`, id: 502, type: "Bot" };
  const otherUsers = new Map<string, FakeUser>();
  let baseUrl = "";

  const internals: FakeInternals = {
    state,
    gitRoot,
    shape: { baseUrl: "", permissions: { admin: true, push: true, pull: true } },
    options: { allowSelfReview: options.allowSelfReview ?? false },
    repoOrThrow(owner, name) {
      const repo = state.repositories.get(repoKey(owner, name));
      if (!repo) throw notFound();
      return repo;
    },
    nextId: () => ++state.nextId,
  };

  const routes: Route[] = [
    ...repositoryRoutes(), ...pullRoutes(), ...reviewRoutes(), ...issueRoutes(), ...checkRoutes(), ...graphqlRoutes(), ...collaboratorRoutes((login) => [tokenUser, ...otherUsers.values()].find((user) => user.login.toLowerCase() === login.toLowerCase()), tokenUser.login),
    ...appRoutes(options.app, (token, expiresAt) => state.installationTokens.push({ token, expiresAt })),
    ...userRoutes(options.app),
  ];

  function userForToken(token: string): FakeUser | null {
    if (token === options.token) return tokenUser;
    if (otherUsers.has(token)) return otherUsers.get(token)!;
    const issued = state.installationTokens.find((t) => t.token === token);
    return issued && Date.parse(issued.expiresAt) > Date.now() ? appUser : null;
  }

  function isValidAppJwt(jwt: string): boolean {
    if (!options.app) return false;
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return false;
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(options.app.publicKey, Buffer.from(signature, "base64url"))) return false;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { iss?: unknown; exp?: number };
    return String(claims.iss) === options.app.appId && (claims.exp ?? 0) * 1000 > Date.now();
  }

  async function handleGit(req: IncomingMessage, res: ServerResponse, match: RegExpMatchArray, query: string) {
    const repo = state.repositories.get(repoKey(match[1], match[2]));
    const [scheme, encoded] = String(req.headers.authorization ?? "").split(" ");
    let user: FakeUser | null = null;
    if (scheme?.toLowerCase() === "basic" && encoded) {
      const decoded = Buffer.from(encoded, "base64").toString();
      const colon = decoded.indexOf(":");
      const [name, password] = colon < 0 ? [decoded, ""] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
      user = userForToken(password) ?? (password === "" || password === "x-oauth-basic" ? userForToken(name) : null);
    }
    const isRead = !/git-receive-pack/.test(match[3] + query);
    if (!user && !(repo && !repo.isPrivate && isRead)) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"', "content-type": "text/plain" });
      res.end("Invalid username or token. Password authentication is not supported for Git operations.\n");
      return;
    }
    if (!repo) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Repository not found.\n");
      return;
    }
    const isPush = match[3] === "git-receive-pack";
    const before = isPush && pushListeners.size ? await listBranches(repo.dir) : null;
    await serveGitHttpBackend({
      req, res, projectRoot: gitRoot, query, remoteUser: user?.login ?? "anonymous",
      pathInfo: `/${repo.owner}/${repo.name}.git/${match[3]}`,
    });
    if (before) {
      // What GitHub's push webhook (and CI behind it) would see: each branch that moved.
      for (const [branch, sha] of await listBranches(repo.dir)) {
        if (before.get(branch) === sha) continue;
        for (const listener of pushListeners) listener({ owner: repo.owner, name: repo.name, branch, sha });
      }
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL) {
    const method = req.method ?? "GET";
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      state.requests.push({ method, path: url.pathname, status });
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-request-id": `FAKE:${state.requests.length}`,
        "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        ...headers,
      });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    try {
      const found = routes.map((r) => ({ r, m: r.method === method ? url.pathname.match(r.pattern) : null })).find((x) => x.m);
      const [scheme, credential] = String(req.headers.authorization ?? "").split(" ");
      const isBearerLike = /^(token|bearer)$/i.test(scheme ?? "") && !!credential;
      if (!isBearerLike) throw new FakeHttpError(401, "Requires authentication");
      const actor = found?.r.auth === "app" ? (isValidAppJwt(credential) ? appUser : null) : userForToken(credential);
      if (!actor) throw new FakeHttpError(401, found?.r.auth === "app" ? "A JSON web token could not be decoded" : "Bad credentials");
      const fault = faults.take(method, url.pathname);
      if (fault) return send(fault.status, fault.body, fault.headers);
      if (!found?.m) throw notFound();
      const raw = await readBody(req);
      let body: Record<string, unknown> = {};
      if (raw) {
        try { body = JSON.parse(raw) as Record<string, unknown>; } catch { throw new FakeHttpError(400, "Problems parsing JSON"); }
      }
      // Octokit URL-encodes path parameters (a ref "heads/factory/x" arrives as heads%2Ffactory%2Fx).
      const params = Object.fromEntries(Object.entries(found.m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      const result = await found.r.handle({ params, query: url.searchParams, body, actor, fake: internals });
      send(result.status ?? 200, result.body, result.headers);
    } catch (error) {
      if (error instanceof FakeHttpError) return send(error.status, error.toBody(), error.headers);
      send(500, { message: `fake GitHub crashed: ${(error as Error).message}` });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", baseUrl);
    const git = url.pathname.match(/^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD)$/);
    const work = git ? handleGit(req, res, git, url.search.slice(1)) : handleApi(req, res, url);
    work.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  internals.shape.baseUrl = baseUrl;

  const repoOrThrow = (owner: string, name: string) => internals.repoOrThrow(owner, name);

  return {
    apiUrl: baseUrl,
    login: tokenUser.login,
    state,
    gitUrl: (owner: string, name: string) => `${baseUrl}/${owner}/${name}.git`,

    async createRepository(input: { owner: string; name: string; defaultBranch?: string; files?: Record<string, string>; isPrivate?: boolean }) {
      const defaultBranch = input.defaultBranch ?? "main";
      const dir = path.join(gitRoot, input.owner, `${input.name}.git`);
      await mkdir(path.dirname(dir), { recursive: true });
      await initBareRepository(dir, defaultBranch);
      const repo: FakeRepository = {
        id: internals.nextId(), owner: input.owner, name: input.name, dir, defaultBranch,
        isPrivate: input.isPrivate ?? true, createdAt: nowIso(), lastNumber: 0,
      };
      state.repositories.set(repoKey(input.owner, input.name), repo);
      const headSha = await commitFiles(dir, { branch: defaultBranch, files: input.files ?? { "README.md": `# ${input.name}\n` }, message: "Initial commit" });
      return { fullName: `${input.owner}/${input.name}`, cloneUrl: `${baseUrl}/${input.owner}/${input.name}.git`, dir, headSha };
    },
    commitFiles(owner: string, name: string, input: CommitFilesInput) {
      const repo = repoOrThrow(owner, name);
      return commitFiles(repo.dir, { fromBranch: repo.defaultBranch, ...input });
    },
    branchSha: (owner: string, name: string, branch: string) => resolveBranch(repoOrThrow(owner, name).dir, branch),
    /** Every branch of a repository, sorted by name. */
    branches: async (owner: string, name: string) => [...(await listBranches(repoOrThrow(owner, name).dir)).keys()].sort(),
    addCheckRun: (owner: string, name: string, input: Omit<FakeCheckRun, "id" | "repoKey">) => addCheckRun(internals, repoOrThrow(owner, name), input),
    addCommitStatus: (owner: string, name: string, input: Pick<FakeCommitStatus, "sha" | "state" | "context">) => addCommitStatus(internals, repoOrThrow(owner, name), input),
    mergePullRequest(owner: string, name: string, number: number) {
      const repo = repoOrThrow(owner, name);
      return mergePull(internals, repo, findPullOrThrow(internals, repo, number));
    },
    /** Grants a role on a repository, as `GET .../collaborators/{username}/permission` reports it. */
    setPermission(owner: string, name: string, login: string, role: FakeRole) {
      const repo = repoOrThrow(owner, name);
      state.permissions.set(`${repoKey(repo.owner, repo.name)}:${login.toLowerCase()}`, role);
    },
    countRequests: (method: string, pathPattern: string | RegExp) =>
      state.requests.filter((r) => r.method === method && (typeof pathPattern === "string" ? r.path === pathPattern : pathPattern.test(r.path))).length,
    /** Calls `listener` after every git push, once per branch it moved (a stand-in for CI). Returns an unsubscribe. */
    onPush(listener: (push: FakePush) => void) {
      pushListeners.add(listener);
      return () => void pushListeners.delete(listener);
    },
    injectFault: (fault: FakeFault) => faults.add(fault),
    /** Another GitHub user; returns a token the REST API accepts as them. */
    addUser(login: string): string {
      const token = `fake-user-token-${login}-${internals.nextId()}`;
      otherUsers.set(token, { login, id: 1000 + internals.nextId(), type: "User" });
      return token;
    },
    clearFaults: () => faults.clear(),
    webhookRequest(url: string, input: WebhookInput): Request {
      const signed = signWebhook(url, input, options.webhookSecret);
      return new Request(signed.url, { method: "POST", headers: signed.headers, body: signed.body });
    },
    async sendWebhook(url: string, input: WebhookInput) {
      const signed = signWebhook(url, input, options.webhookSecret);
      const response = await fetch(signed.url, { method: "POST", headers: signed.headers, body: signed.body });
      return { status: response.status, body: await response.text(), deliveryId: signed.deliveryId };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await rm(gitRoot, { recursive: true, force: true });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
