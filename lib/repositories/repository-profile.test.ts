// ensureRepositoryProfile against the fake GitHub (real git over HTTP) and real Postgres: a
// repository nobody configured gets its commands from its own files, and a user's edits stay.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { pointAppAtFakeGitHub } from "@/test/fake-github-fixtures";
import { secretCanaries } from "@/test/secret-canaries";
import { db } from "@/lib/db";
import { ensureRepositoryProfile, resolveRunCommands, updateRepositoryProfile } from "./repository-profile";

let github: FakeGitHub;

const nodeApp = {
  "package.json": JSON.stringify({ name: "widgets", scripts: { test: "node --test", lint: "eslint ." } }, null, 2),
  "package-lock.json": JSON.stringify({ name: "widgets", lockfileVersion: 3, packages: {} }),
  "test/widgets.test.js": "import test from 'node:test';\ntest('ok', () => {});\n",
  ".github/workflows/ci.yml": "on: [push]\njobs: {}\n",
};

beforeAll(async () => {
  github = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN });
  pointAppAtFakeGitHub(github, "profile-test-");
});

afterAll(() => github.close());

async function createRepository(name: string, files: Record<string, string>) {
  await github.createRepository({ owner: "acme", name, files });
  return db.repository.create({ data: { owner: "acme", name } });
}

describe("ensureRepositoryProfile", () => {
  it("detects npm test on the default branch of a repository with no profile, and records where", async () => {
    const repository = await createRepository("fresh-node", nodeApp);
    expect(repository).toMatchObject({ testCommand: null, detectedAt: null, profileSource: "detected" });

    const profile = await ensureRepositoryProfile({ repositoryId: repository.id });
    expect(profile).toMatchObject({
      fullName: "acme/fresh-node",
      setupCommand: "npm ci",
      testCommand: "npm test",
      lintCommand: "npm run lint",
      hasCi: true,
      profileSource: "detected",
      detectedSha: await github.branchSha("acme", "fresh-node", "main"),
    });
    expect(profile.detectionReport).toContain("found package.json with scripts.test = node --test → npm test");
    expect(profile.detectedAt).not.toBeNull();
    const stored = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    expect(stored).toMatchObject({ testCommand: "npm test", setupCommand: "npm ci", hasCi: true, detectedSha: profile.detectedSha });
  });

  it("uses the stored profile after the first detection, and detects the new head when forced", async () => {
    const repository = await createRepository("moving", nodeApp);
    const first = await ensureRepositoryProfile({ repositoryId: repository.id });
    await github.commitFiles("acme", "moving", {
      branch: "main",
      message: "Switch to pnpm",
      files: { "package-lock.json": null, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" },
    });

    const cached = await ensureRepositoryProfile({ repositoryId: repository.id });
    expect(cached).toMatchObject({ setupCommand: "npm ci", detectedSha: first.detectedSha });

    const forced = await ensureRepositoryProfile({ repositoryId: repository.id, force: true });
    expect(forced).toMatchObject({ setupCommand: "pnpm install --frozen-lockfile", testCommand: "pnpm test" });
    expect(forced.detectedSha).toBe(await github.branchSha("acme", "moving", "main"));
    expect(forced.detectedSha).not.toBe(first.detectedSha);
  });

  it("never overwrites a user's profile: forced detection refreshes only the report and says what differs", async () => {
    const repository = await createRepository("edited", nodeApp);
    await updateRepositoryProfile({ owner: "acme", name: "edited", input: { testCommand: "npm run test:unit", hasCi: false } });

    const profile = await ensureRepositoryProfile({ repositoryId: repository.id, force: true });
    expect(profile).toMatchObject({ profileSource: "user", testCommand: "npm run test:unit", hasCi: false, setupCommand: null });
    expect(profile.detectedSha).toBe(await github.branchSha("acme", "edited", "main"));
    expect(profile.detectionReport).toMatch(/^Profile edited by a user: its commands and CI setting were kept\./);
    expect(profile.detectionReport).toContain("testCommand: profile has npm run test:unit, detection found npm test");
    expect(profile.detectionReport).toContain("hasCi: profile has false, detection found true");
  });

  it("shares one detection between concurrent callers", async () => {
    const repository = await createRepository("busy", nodeApp);
    const before = github.countRequests("GET", "/repos/acme/busy");
    const [a, b] = await Promise.all([ensureRepositoryProfile({ repositoryId: repository.id }), ensureRepositoryProfile({ repositoryId: repository.id })]);
    expect(a).toEqual(b);
    expect(github.countRequests("GET", "/repos/acme/busy") - before).toBe(1);
  });

  it("refuses an unknown repository id", async () => {
    await expect(ensureRepositoryProfile({ repositoryId: "nope" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("resolveRunCommands", () => {
  const repository = { setupCommand: "npm ci", testCommand: "npm test" };

  it("uses the profile when the run sets nothing", () => {
    expect(resolveRunCommands({ run: { setupCommand: null, testCommand: null }, repository })).toEqual({
      setupCommand: "npm ci",
      testCommand: "npm test",
      source: { setupCommand: "repository", testCommand: "repository" },
    });
  });

  it("lets the run's overrides win, with \"\" meaning none", () => {
    expect(resolveRunCommands({ run: { setupCommand: "", testCommand: "npm run test:ci" }, repository })).toEqual({
      setupCommand: null,
      testCommand: "npm run test:ci",
      source: { setupCommand: "run", testCommand: "run" },
    });
    expect(resolveRunCommands({ run: { setupCommand: null, testCommand: null }, repository: { setupCommand: null, testCommand: "" } })).toMatchObject({
      setupCommand: null,
      testCommand: null,
    });
  });
});
