// The fake GitHub itself: real git over HTTP behind token auth, GitHub's error shapes, faults.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "./index";

const exec = promisify(execFile);
const token = "fake-github-self-test-token-1";
let gh: FakeGitHub;
let work: string;

/** Git with the token in a per-command header, never in the URL or config. */
function git(args: string[], cwd: string, secret = token) {
  const header = `Authorization: Basic ${Buffer.from(`x-access-token:${secret}`).toString("base64")}`;
  return exec("git", ["-c", `http.extraHeader=${header}`, ...args], {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" },
  });
}

async function api(pathname: string, init: RequestInit = {}, secret = token) {
  const response = await fetch(`${gh.apiUrl}${pathname}`, { ...init, headers: { authorization: `token ${secret}`, ...init.headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  gh = await startFakeGitHub({ token });
  await gh.createRepository({ owner: "acme", name: "widgets", files: { "README.md": "# widgets\n", "src/a.ts": "export const a = 1;\n" } });
  work = await mkdtemp(path.join(os.tmpdir(), "fake-github-test-"));
});

afterAll(async () => {
  await gh?.close();
  await rm(work, { recursive: true, force: true });
});

describe("git over HTTP", () => {
  it("clones, pushes a branch the API then sees, and keeps the token out of .git/config", async () => {
    const dir = path.join(work, "clone");
    await git(["clone", "--quiet", gh.gitUrl("acme", "widgets"), dir], work);
    expect(await readFile(path.join(dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    await git(["checkout", "-q", "-b", "factory/run1-t1"], dir);
    await writeFile(path.join(dir, "src/a.ts"), "export const a = 2;\n");
    await git(["commit", "-qam", "change a"], dir);
    await git(["push", "-q", "origin", "factory/run1-t1"], dir);
    const { stdout: localSha } = await git(["rev-parse", "HEAD"], dir);
    expect(await gh.branchSha("acme", "widgets", "factory/run1-t1")).toBe(localSha.trim());
    expect(await readFile(path.join(dir, ".git/config"), "utf8")).not.toContain(token);
  });

  it("refuses a wrong token and no token, and git's error does not echo the token", async () => {
    const wrong = "ghp_wrongToken999";
    const failure = await git(["ls-remote", gh.gitUrl("acme", "widgets")], work, wrong).catch((e: Error & { stderr: string }) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { stderr: string }).stderr).toMatch(/Authentication failed|Invalid username or token|could not read Username/);
    expect((failure as { stderr: string }).stderr).not.toContain(wrong);
    const anonymous = await exec("git", ["ls-remote", gh.gitUrl("acme", "widgets")], { env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }).catch((e: Error) => e);
    expect(anonymous).toBeInstanceOf(Error);
  });
});

describe("REST", () => {
  it("answers repository shapes with a clone URL that points at its own git server", async () => {
    const { status, body } = await api("/repos/acme/widgets");
    expect(status).toBe(200);
    expect(body).toMatchObject({ full_name: "acme/widgets", default_branch: "main", clone_url: gh.gitUrl("acme", "widgets"), permissions: { push: true } });
  });

  it("uses GitHub's error shapes for 401, 404 and 422", async () => {
    expect(await api("/repos/acme/widgets", {}, "nope")).toMatchObject({ status: 401, body: { message: "Bad credentials", documentation_url: expect.any(String) } });
    expect(await api("/repos/acme/missing")).toMatchObject({ status: 404, body: { message: "Not Found", documentation_url: expect.any(String) } });
    const sha = await gh.branchSha("acme", "widgets", "main");
    const duplicate = await api("/repos/acme/widgets/git/refs", { method: "POST", body: JSON.stringify({ ref: "refs/heads/main", sha }) });
    expect(duplicate).toMatchObject({ status: 422, body: { message: "Reference already exists" } });
    const noHead = await api("/repos/acme/widgets/pulls", { method: "POST", body: JSON.stringify({ title: "x", head: "nope", base: "main" }) });
    expect(noHead).toMatchObject({ status: 422, body: { message: "Validation Failed", errors: [{ resource: "PullRequest", field: "head", code: "invalid" }] } });
  });

  it("computes PR files from the real git diff", async () => {
    const created = await api("/repos/acme/widgets/pulls", { method: "POST", body: JSON.stringify({ title: "t", head: "factory/run1-t1", base: "main", draft: true }) });
    expect(created).toMatchObject({ status: 201, body: { number: 1, draft: true, head: { ref: "factory/run1-t1" } } });
    const files = await fetch(`${gh.apiUrl}/repos/acme/widgets/pulls/1/files`, { headers: { authorization: `token ${token}` } }).then((r) => r.json());
    expect(files).toEqual([expect.objectContaining({ filename: "src/a.ts", status: "modified", additions: 1, deletions: 1, patch: expect.stringContaining("+export const a = 2;") })]);
  });

  it("injects rate limits and 502s once, then recovers", async () => {
    gh.injectFault({ kind: "rate-limit", path: "/repos/acme/widgets" });
    const limited = await fetch(`${gh.apiUrl}/repos/acme/widgets`, { headers: { authorization: `token ${token}` } });
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(limited.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
    gh.injectFault({ kind: "server-error", status: 502 });
    expect((await api("/repos/acme/widgets").catch(() => ({ status: 0 }))).status).toBe(502);
    expect((await api("/repos/acme/widgets")).status).toBe(200);
  });

  it("signs webhooks with the configured secret", async () => {
    const hooked = await startFakeGitHub({ token, webhookSecret: "s3cret-value" });
    try {
      const request = hooked.webhookRequest("http://app.test/api/github/webhook", { event: "ping", payload: { zen: "hi" } });
      const { createHmac } = await import("node:crypto");
      const body = await request.text();
      expect(request.headers.get("x-hub-signature-256")).toBe(`sha256=${createHmac("sha256", "s3cret-value").update(body).digest("hex")}`);
      expect(request.headers.get("x-github-event")).toBe("ping");
      // And over HTTP, to a running app.
      const { createServer } = await import("node:http");
      const received: { headers: Record<string, unknown>; body: string }[] = [];
      const app = createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c));
        req.on("end", () => { received.push({ headers: req.headers, body }); res.writeHead(202).end("ok"); });
      });
      await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
      const port = (app.address() as { port: number }).port;
      const sent = await hooked.sendWebhook(`http://127.0.0.1:${port}/hook`, { event: "ping", payload: { zen: "hi" }, deliveryId: "abc" });
      await new Promise<void>((resolve) => app.close(() => resolve()));
      expect(sent).toEqual({ status: 202, body: "ok", deliveryId: "abc" });
      expect(received[0].headers).toMatchObject({ "x-github-delivery": "abc", "x-hub-signature-256": expect.stringMatching(/^sha256=[0-9a-f]{64}$/) });
    } finally {
      await hooked.close();
    }
  });
});
