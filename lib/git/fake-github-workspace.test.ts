// The workspace manager against the fake GitHub: real smart HTTP behind token auth, so the
// per-command header is what makes clone and push work at all.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { secretCanaries } from "@/test/secret-canaries";
import { commitAll, pushBranch } from "./branches";
import { prepareWorkspace, getMirrorPath, type RepositoryRef } from "./workspace";
const token = secretCanaries.GITHUB_TOKEN;
const encodedToken = Buffer.from(`x-access-token:${token}`).toString("base64");
const branch = "factory/run7-http";
let gh: FakeGitHub;
let repo: RepositoryRef;

beforeAll(async () => {
  gh = await startFakeGitHub({ token });
  await gh.createRepository({ owner: "acme", name: "private-widgets", isPrivate: true, files: { "README.md": "# private\n" } });
  repo = { owner: "acme", name: "private-widgets", remoteUrl: gh.gitUrl("acme", "private-widgets"), defaultBranch: "main" };
});

afterAll(async () => {
  await gh?.close();
});

describe("workspaces over HTTP with a token", () => {
  it("clones, pushes and resumes through basic auth, leaving the token nowhere on disk", async () => {
    const first = await prepareWorkspace({ repo, sessionId: "http-1", branch, token });
    expect(readFileSync(path.join(first.workspace, "README.md"), "utf8")).toBe("# private\n");
    writeFileSync(path.join(first.workspace, "feature.txt"), "over http\n");
    const sha = await commitAll({ workspace: first.workspace, message: "Over HTTP" });
    await pushBranch({ workspace: first.workspace, token });
    expect(await gh.branchSha("acme", "private-widgets", branch)).toBe(sha);

    const second = await prepareWorkspace({ repo, sessionId: "http-2", branch, token });
    expect(second).toMatchObject({ headSha: sha, hasRemoteBranch: true });
    const resumed = await prepareWorkspace({ repo, sessionId: "http-2", branch, token });
    expect(resumed).toMatchObject({ headSha: sha, isResumed: true });

    for (const file of [
      path.join(first.workspace, ".git", "config"),
      path.join(second.workspace, ".git", "config"),
      path.join(getMirrorPath(repo), "config"),
      path.join(second.workspace, ".git", "FETCH_HEAD"),
    ].filter((f) => existsSync(f))) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain(token);
      expect(text, file).not.toContain(encodedToken);
    }
    expect(readFileSync(path.join(first.workspace, ".git", "config"), "utf8")).toContain(`url = ${repo.remoteUrl}\n`);
  });

  it("fails without the right token, with an error that names neither token", async () => {
    const wrong = "wrong-token-for-fake-github-9";
    const error = await prepareWorkspace({ repo, sessionId: "http-3", branch, token: wrong }).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/git fetch failed/);
    expect(error?.message).not.toContain(wrong);
    expect(error?.message).not.toContain(Buffer.from(`x-access-token:${wrong}`).toString("base64"));
    expect(error?.message).not.toContain(token);
  });
});
