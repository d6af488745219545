import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretCanaries } from "@/test/secret-canaries";
import { runSandboxed } from "@/lib/sandbox/run-sandboxed";
import { buildBranchName, commitAll, pushBranch } from "./branches";
import { openLocalWorkspace, prepareWorkspace, getMirrorPath, getWorkspacePath, type RepositoryRef } from "./workspace";

const token = secretCanaries.GITHUB_TOKEN;
const encodedToken = Buffer.from(`x-access-token:${token}`).toString("base64");
const branch = "factory/run1-task-a";
let root: string;
let remote: string;
let repo: RepositoryRef;

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], { cwd }).toString().trim();
const remoteRef = (ref: string) => {
  try {
    return git(remote, "rev-parse", "--verify", "--quiet", ref);
  } catch {
    return null;
  }
};

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "git-workspace-test-"));
  const seed = path.join(root, "seed");
  mkdirSync(path.join(seed, ".github", "workflows"), { recursive: true });
  writeFileSync(path.join(seed, "README.md"), "# widgets\n");
  writeFileSync(path.join(seed, ".github", "workflows", "ci.yml"), "on: push\n");
  git(root, "init", "--quiet", "-b", "main", seed);
  git(seed, "add", "-A");
  git(seed, "commit", "--quiet", "-m", "initial");
  remote = path.join(root, "remote", "acme", "widgets.git");
  git(root, "clone", "--quiet", "--bare", seed, remote);
  repo = { owner: "acme", name: "widgets", remoteUrl: `file://${remote}`, defaultBranch: "main" };
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("git workspaces", () => {
  it("creates a mirror and a workspace on a new factory branch, commits as the bot and pushes", async () => {
    const mainSha = remoteRef("refs/heads/main");
    const prepared = await prepareWorkspace({ repo, sessionId: "s1", branch, token });
    expect(prepared).toMatchObject({ workspace: getWorkspacePath("s1"), branch, headSha: mainSha, hasRemoteBranch: false, isResumed: false });
    expect(existsSync(path.join(getMirrorPath(repo), "HEAD"))).toBe(true);
    expect(git(prepared.workspace, "symbolic-ref", "--short", "HEAD")).toBe(branch);

    writeFileSync(path.join(prepared.workspace, "feature.txt"), "v1\n");
    const sha = await commitAll({ workspace: prepared.workspace, message: "Add feature" });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(git(prepared.workspace, "log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe(
      "Dark Factory <factory@localhost>|Dark Factory <factory@localhost>",
    );
    expect(await commitAll({ workspace: prepared.workspace, message: "Nothing" })).toBeNull();

    await expect(pushBranch({ workspace: prepared.workspace, token })).resolves.toEqual({ branch, sha });
    expect(remoteRef(`refs/heads/${branch}`)).toBe(sha);
    expect(remoteRef("refs/heads/main")).toBe(mainSha);
  });

  it("keeps toolchain caches the sandbox fills (Go, Cargo, pip) in the workspace, and out of every commit", async () => {
    const prepared = await prepareWorkspace({ repo, sessionId: "s-cache", branch: buildBranchName({ runId: "cache", taskKey: "t" }), token });
    const fetched = await runSandboxed({ workspace: prepared.workspace, command: 'mkdir -p "$GOMODCACHE" && echo module > "$GOMODCACHE/cached" && echo "$CARGO_HOME"', timeoutSec: 30 });
    expect(fetched.output).toContain(`${prepared.workspace}/.factory-cache/cargo`);
    expect(existsSync(path.join(prepared.workspace, ".factory-cache", "go-mod", "cached"))).toBe(true);
    writeFileSync(path.join(prepared.workspace, "main.go"), "package main\n");
    await commitAll({ workspace: prepared.workspace, message: "Add main" });
    expect(git(prepared.workspace, "show", "--name-only", "--format=", "HEAD")).toBe("main.go");
  });

  it("resumes: a second workspace starts from the pushed head, and an existing one is fetched and reset", async () => {
    const pushed = remoteRef(`refs/heads/${branch}`);
    const second = await prepareWorkspace({ repo, sessionId: "s2", branch, token });
    expect(second).toMatchObject({ headSha: pushed, hasRemoteBranch: true, isResumed: false });
    expect(readFileSync(path.join(second.workspace, "feature.txt"), "utf8")).toBe("v1\n");

    const first = getWorkspacePath("s1");
    writeFileSync(path.join(first, "feature.txt"), "v2\n");
    const newer = await commitAll({ workspace: first, message: "Feature v2" });
    await pushBranch({ workspace: first, token });

    // Leftovers of a crashed chunk in the second workspace are discarded.
    writeFileSync(path.join(second.workspace, "feature.txt"), "local edit\n");
    writeFileSync(path.join(second.workspace, "stray.txt"), "untracked\n");
    const resumed = await prepareWorkspace({ repo, sessionId: "s2", branch, token });
    expect(resumed).toMatchObject({ headSha: newer, hasRemoteBranch: true, isResumed: true });
    expect(readFileSync(path.join(second.workspace, "feature.txt"), "utf8")).toBe("v2\n");
    expect(existsSync(path.join(second.workspace, "stray.txt"))).toBe(false);
  });

  it("refuses to push to the default branch or any non-factory branch", async () => {
    const workspace = getWorkspacePath("s1");
    const before = remoteRef("refs/heads/main");
    await expect(pushBranch({ workspace, branch: "main", token })).rejects.toThrow(/only to factory\/\* branches/);
    git(workspace, "branch", "feature/sneaky");
    await expect(pushBranch({ workspace, branch: "feature/sneaky", token })).rejects.toThrow(/Refusing to push to "feature\/sneaky"/);
    git(workspace, "checkout", "--quiet", "feature/sneaky");
    await expect(pushBranch({ workspace, token })).rejects.toThrow(/Refusing/);
    git(workspace, "checkout", "--quiet", branch);
    expect(remoteRef("refs/heads/main")).toBe(before);
    expect(remoteRef("refs/heads/feature/sneaky")).toBeNull();
    await expect(prepareWorkspace({ repo, sessionId: "s9", branch: "main", token })).rejects.toThrow(/not a factory branch/);
  });

  it("refuses .github/workflows changes unless the run opted in", async () => {
    const workspace = getWorkspacePath("s1");
    const before = remoteRef(`refs/heads/${branch}`);
    writeFileSync(path.join(workspace, ".github", "workflows", "ci.yml"), "on: push\njobs: { steal: {} }\n");
    const sha = await commitAll({ workspace, message: "Change CI" });
    await expect(pushBranch({ workspace, token })).rejects.toThrow(/GitHub Actions workflows \(\.github\/workflows\/ci\.yml\)/);
    expect(remoteRef(`refs/heads/${branch}`)).toBe(before);
    await pushBranch({ workspace, token, allowWorkflowChanges: true });
    expect(remoteRef(`refs/heads/${branch}`)).toBe(sha);
  });

  it("never writes the token into .git/config or remote URLs, and redacts it from errors", async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? "-"}`);
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`upstream exploded for ${req.headers.authorization}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/acme/widgets.git`;
    try {
      const workspace = getWorkspacePath("s1");
      git(workspace, "remote", "set-url", "origin", url);
      writeFileSync(path.join(workspace, "more.txt"), "more\n");
      await commitAll({ workspace, message: "More" });
      const pushError = await pushBranch({ workspace, token, allowWorkflowChanges: true }).then(() => null, (error: Error) => error);
      const fetchError = await prepareWorkspace({ repo: { ...repo, name: "gadgets", remoteUrl: url }, sessionId: "s3", branch, token }).then(
        () => null,
        (error: Error) => error,
      );
      // The header really went out, to this host only, for both directions.
      expect(seen.some((line) => line.includes("git-receive-pack") && line.endsWith(`Basic ${encodedToken}`))).toBe(true);
      expect(seen.some((line) => line.includes("git-upload-pack") && line.endsWith(`Basic ${encodedToken}`))).toBe(true);
      for (const error of [pushError, fetchError]) {
        expect(error?.message).toMatch(/git (push|fetch) failed/);
        expect(error?.message).not.toContain(token);
        expect(error?.message).not.toContain(encodedToken);
        expect(JSON.stringify(error)).not.toContain(token);
        // The fake upstream echoed the Authorization header back; git's stderr was redacted.
        expect(error?.message).toContain("Basic [redacted]");
      }
      git(workspace, "remote", "set-url", "origin", repo.remoteUrl);
    } finally {
      server.close();
    }

    const files = [
      path.join(getWorkspacePath("s1"), ".git", "config"),
      path.join(getWorkspacePath("s2"), ".git", "config"),
      path.join(getMirrorPath(repo), "config"),
      path.join(getMirrorPath({ owner: "acme", name: "gadgets" }), "config"),
      path.join(getWorkspacePath("s1"), ".git", "FETCH_HEAD"),
    ];
    for (const file of files.filter((f) => existsSync(f))) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain(token);
      expect(text, file).not.toContain(encodedToken);
      expect(text, file).not.toMatch(/extraheader/i);
    }
    expect(git(getWorkspacePath("s2"), "remote", "-v")).not.toMatch(new RegExp(`${token}|@`));
    await expect(
      prepareWorkspace({ repo: { ...repo, remoteUrl: `https://x-access-token:${token}@github.com/acme/widgets.git` }, sessionId: "s4", branch }),
    ).rejects.toThrow(/must not contain credentials/);
  });

  it("lets the sandbox read git history but not rewrite the workspace's git config", async () => {
    const workspace = getWorkspacePath("s2");
    const result = await runSandboxed({
      workspace,
      command: "git log --oneline -1 && git config remote.origin.url https://evil.example/x.git; echo rc=$?",
      timeoutSec: 20,
      allowNetwork: false,
      maxOutputBytes: 10_000,
    });
    expect(result.output).toMatch(/^[0-9a-f]{7,} Feature v2/);
    expect(result.output).not.toContain("rc=0");
    expect(git(workspace, "config", "remote.origin.url")).toBe(repo.remoteUrl);
  });

  it("commits in a plain local checkout used directly", async () => {
    const local = path.join(root, "local-checkout");
    git(root, "init", "--quiet", local);
    writeFileSync(path.join(local, "a.txt"), "a\n");
    const workspace = await openLocalWorkspace({ path: local });
    expect(workspace).toBe(local);
    const sha = await commitAll({ workspace, message: "First" });
    expect(git(local, "rev-parse", "HEAD")).toBe(sha);
    expect(await commitAll({ workspace, message: "Again" })).toBeNull();
    const notRepo = path.join(root, "not-a-repo");
    mkdirSync(notRepo);
    await expect(openLocalWorkspace({ path: notRepo })).rejects.toThrow(/not a git checkout/);
  });

  it("builds factory branch names and rejects unsafe session ids", () => {
    expect(buildBranchName({ runId: "Run_42", taskKey: "Add login page!" })).toBe("factory/run_42-add-login-page");
    expect(() => getWorkspacePath("../etc")).toThrow(/Invalid session id/);
  });
});
