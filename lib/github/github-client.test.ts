// The Octokit client against the local GitHub: credentials, rate limits, 5xx, and that no
// token ever shows up in an error or a log line.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";
import { createGitHubClient } from "./github-client";
import { createInstallationTokenSource, getGitHubClient, resetGitHubClients, resolveGitHubToken } from "./app-auth";
import { readRepository } from "./repository";

const owner = "acme";
const repo = "widgets";
let gh: FakeGitHub;
const logged: string[] = [];

beforeAll(async () => {
  gh = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN });
  await gh.createRepository({ owner, name: repo });
  process.env.GITHUB_API_URL = gh.apiUrl;
  resetEnvCache();
  resetGitHubClients();
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
});

afterEach(() => {
  gh.clearFaults();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await gh?.close();
  delete process.env.GITHUB_API_URL;
  resetEnvCache();
  resetGitHubClients();
});

const fastClient = (token: string = secretCanaries.GITHUB_TOKEN) =>
  createGitHubClient({ baseUrl: gh.apiUrl, auth: { token }, waitScale: 0.01, isWritePacingEnabled: false });

describe("credentials", () => {
  it("the env-configured client (GITHUB_TOKEN, GITHUB_API_URL) reaches the local GitHub", async () => {
    const client = await getGitHubClient({ owner, repo });
    expect((await readRepository({ owner, repo, client })).defaultBranch).toBe("main");
    expect(await resolveGitHubToken({ owner, repo })).toBe(secretCanaries.GITHUB_TOKEN);
  });

  it("a wrong token fails with a clear error that contains no token", async () => {
    const wrong = "wrong-token-value-0000000";
    const error = await readRepository({ owner, repo, client: fastClient(wrong) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(
      "GitHub could not read repository acme/widgets: 401 Bad credentials. Check GITHUB_TOKEN (or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY).",
    );
    const everything = JSON.stringify({ message: (error as AppError).message, details: (error as AppError).details, stack: (error as Error).stack, cause: String((error as Error).cause) });
    expect(everything).not.toContain(wrong);
    expect(findCanaries(everything)).toEqual([]);
    expect(gh.countRequests("GET", "/repos/acme/widgets")).toBeGreaterThan(0);
  });

  it("a missing repository is a not_found AppError naming it", async () => {
    await expect(readRepository({ owner, repo: "nope", client: fastClient() })).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("acme/nope: 404 Not Found") });
  });
});

describe("rate limits and server errors", () => {
  it("retries a 403 rate limit after its reset time, then succeeds", async () => {
    const before = gh.countRequests("GET", "/repos/acme/widgets");
    gh.injectFault({ kind: "rate-limit", path: "/repos/acme/widgets", resetInSec: 1 });
    expect((await readRepository({ owner, repo, client: fastClient() })).fullName).toBe("acme/widgets");
    expect(gh.countRequests("GET", "/repos/acme/widgets") - before).toBe(2);
    expect(gh.state.requests.filter((r) => r.path === "/repos/acme/widgets").map((r) => r.status).slice(-2)).toEqual([403, 200]);
    expect(logged.some((l) => /rate limit on GET .*\/repos\/acme\/widgets; retrying in [12]s/.test(l))).toBe(true);
  });

  it("retries a 429 secondary rate limit with retry-after", async () => {
    gh.injectFault({ kind: "secondary-rate-limit", path: "/repos/acme/widgets", retryAfterSec: 1 });
    expect((await readRepository({ owner, repo, client: fastClient() })).fullName).toBe("acme/widgets");
    expect(gh.state.requests.filter((r) => r.path === "/repos/acme/widgets").map((r) => r.status).slice(-2)).toEqual([429, 200]);
  });

  it("does not wait for a reset hours away: fails fast with rate_limited", async () => {
    const before = gh.countRequests("GET", "/repos/acme/widgets");
    gh.injectFault({ kind: "rate-limit", path: "/repos/acme/widgets", resetInSec: 3 * 3600 });
    const started = Date.now();
    await expect(readRepository({ owner, repo, client: fastClient() })).rejects.toMatchObject({ code: "rate_limited", message: expect.stringContaining("403 API rate limit exceeded") });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(gh.countRequests("GET", "/repos/acme/widgets") - before).toBe(1);
  });

  it("retries a 502, then succeeds", async () => {
    gh.injectFault({ kind: "server-error", status: 502, path: "/repos/acme/widgets" });
    expect((await readRepository({ owner, repo, client: fastClient() })).fullName).toBe("acme/widgets");
    expect(gh.state.requests.filter((r) => r.path === "/repos/acme/widgets").map((r) => r.status).slice(-2)).toEqual([502, 200]);
  });

  it("gives up after bounded retries of a persistent 502 with a readable error", async () => {
    const before = gh.countRequests("GET", "/repos/acme/widgets");
    gh.injectFault({ kind: "server-error", status: 502, path: "/repos/acme/widgets", times: 10 });
    await expect(readRepository({ owner, repo, client: fastClient() })).rejects.toMatchObject({ code: "bad_gateway", message: "GitHub could not read repository acme/widgets: 502 Server Error" });
    expect(gh.countRequests("GET", "/repos/acme/widgets") - before).toBe(4);
  });

  it("printed no secret in any log line", () => {
    expect(logged.length).toBeGreaterThan(0);
    expect(findCanaries(logged.join("\n"))).toEqual([]);
  });
});

describe("GitHub App auth", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const appId = "12345";
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  it("authenticates with an installation token, cached across calls and git", async () => {
    const appHub = await startFakeGitHub({ token: "ghp_unused_pat_000000", app: { appId, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() } });
    try {
      await appHub.createRepository({ owner, name: repo });
      Object.assign(process.env, { GITHUB_APP_ID: appId, GITHUB_APP_PRIVATE_KEY: privatePem, GITHUB_API_URL: appHub.apiUrl });
      resetEnvCache();
      resetGitHubClients();
      expect((await readRepository({ owner, repo })).fullName).toBe("acme/widgets");
      expect((await readRepository({ owner, repo })).fullName).toBe("acme/widgets");
      expect(appHub.state.installationTokens).toHaveLength(1);
      expect(await resolveGitHubToken({ owner, repo })).toBe(appHub.state.installationTokens[0].token);
      expect(appHub.countRequests("POST", "/app/installations/4242/access_tokens")).toBe(1);
    } finally {
      delete process.env.GITHUB_APP_ID;
      delete process.env.GITHUB_APP_PRIVATE_KEY;
      process.env.GITHUB_API_URL = gh.apiUrl;
      resetEnvCache();
      resetGitHubClients();
      await appHub.close();
    }
  });

  it("refreshes the installation token before it expires", async () => {
    const appHub = await startFakeGitHub({ token: "ghp_unused_pat_000000", app: { appId, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() } });
    try {
      await appHub.createRepository({ owner, name: repo });
      let now = Date.now();
      const source = createInstallationTokenSource({ appId, privateKey: privatePem, baseUrl: appHub.apiUrl, now: () => now });
      const first = await source.getToken(owner, repo);
      now += 50 * 60_000; // 10 minutes left: still fine
      expect(await source.getToken(owner, repo)).toBe(first);
      now += 6 * 60_000; // 4 minutes left: inside the 5-minute margin
      const second = await source.getToken(owner, repo);
      expect(second).not.toBe(first);
      expect(appHub.state.installationTokens.map((t) => t.token)).toEqual([first, second]);
    } finally {
      await appHub.close();
    }
  });

  it("a wrong App key fails with a clear error that contains neither key nor token", async () => {
    const appHub = await startFakeGitHub({ token: "ghp_unused_pat_000000", app: { appId, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() } });
    try {
      await appHub.createRepository({ owner, name: repo });
      const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      const source = createInstallationTokenSource({ appId, privateKey: otherKey, baseUrl: appHub.apiUrl });
      const error = (await source.getToken(owner, repo).catch((e: unknown) => e)) as AppError;
      expect(error.message).toMatch(/^GitHub could not get a GitHub App installation token for acme\/widgets: 401/);
      expect(error.message).not.toContain("PRIVATE KEY");
    } finally {
      await appHub.close();
    }
  });
});
