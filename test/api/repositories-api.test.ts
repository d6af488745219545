// The repository profile API and per-run command overrides, through the real route handlers,
// against real Postgres, the fake GitHub (real git over HTTP) and a stand-in Inngest Event API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { pointAppAtFakeGitHub } from "@/test/fake-github-fixtures";
import { secretCanaries } from "@/test/secret-canaries";
import { startApiEngine } from "./api-fixtures";

await startApiEngine();
let github: FakeGitHub;

const listRoute = await import("@/app/api/repositories/route");
const profileRoute = await import("@/app/api/repositories/[owner]/[name]/route");
const detectRoute = await import("@/app/api/repositories/[owner]/[name]/detect/route");
const runsRoute = await import("@/app/api/runs/route");

const auth = { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` };
const params = (owner: string, name: string) => ({ params: Promise.resolve({ owner, name }) });
const url = (owner: string, name: string, suffix = "") => `http://localhost/api/repositories/${owner}/${name}${suffix}`;

const list = (headers: Record<string, string> = auth) => listRoute.GET(new Request("http://localhost/api/repositories", { headers }));
const get = (owner: string, name: string, headers: Record<string, string> = auth) => profileRoute.GET(new Request(url(owner, name), { headers }), params(owner, name));
const put = (owner: string, name: string, body: unknown, headers: Record<string, string> = auth) =>
  profileRoute.PUT(
    new Request(url(owner, name), { method: "PUT", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }),
    params(owner, name),
  );
const detect = (owner: string, name: string, headers: Record<string, string> = auth) =>
  detectRoute.POST(new Request(url(owner, name, "/detect"), { method: "POST", headers: { "content-type": "application/json", ...headers } }), params(owner, name));
const postRun = (body: unknown) =>
  runsRoute.POST(new Request("http://localhost/api/runs", { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify(body) }));

const errorFields = async (response: Response) => ((await response.json()).error.details?.fields ?? []).map((f: { field: string }) => f.field);

beforeAll(async () => {
  github = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN });
  pointAppAtFakeGitHub(github, "repositories-api-");
  await github.createRepository({
    owner: "acme",
    name: "shop",
    files: {
      "package.json": JSON.stringify({ name: "shop", scripts: { test: "vitest run", build: "vite build" }, devDependencies: { typescript: "5.6.3" } }),
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "tsconfig.json": "{}",
    },
  });
  await db.repository.create({ data: { owner: "acme", name: "shop" } });
  await db.repository.create({ data: { owner: "acme", name: "legacy", testCommand: "make check", setupCommand: "make deps" } });
});

afterAll(async () => github.close());

describe("GET /api/repositories", () => {
  it("lists every profile by owner and name, with money as numbers", async () => {
    const response = await list();
    expect(response.status).toBe(200);
    const { repositories } = await response.json();
    expect(repositories.map((r: { fullName: string }) => r.fullName)).toEqual(["acme/legacy", "acme/shop"]);
    expect(repositories[0]).toMatchObject({ testCommand: "make check", setupCommand: "make deps", profileSource: "detected", followUpBudgetUsd: 2, coderAttempts: 1, detectedAt: null, hasCi: false });
  });

  it("refuses a missing or wrong token with 401", async () => {
    expect((await list({})).status).toBe(401);
    expect((await get("acme", "shop", { authorization: "Bearer nope-nope-nope-nope" })).status).toBe(401);
    expect((await put("acme", "shop", { testCommand: "x" }, {})).status).toBe(401);
    expect((await detect("acme", "shop", {})).status).toBe(401);
  });
});

describe("GET /api/repositories/:owner/:name", () => {
  it("answers one profile, 404 for an unknown repository and 400 for a bad name", async () => {
    expect(await (await get("acme", "legacy")).json()).toMatchObject({ fullName: "acme/legacy", testCommand: "make check" });
    const unknown = await get("acme", "nothing-here");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toContain("acme/nothing-here");
    const badName = await get("acme", "..");
    expect(badName.status).toBe(400);
    expect(await errorFields(badName)).toEqual(["name"]);
    const badOwner = await get("-acme", "shop");
    expect(badOwner.status).toBe(400);
    expect(await errorFields(badOwner)).toEqual(["owner"]);
  });
});

describe("PUT /api/repositories/:owner/:name", () => {
  it("saves the fields given as a user profile; \"\" clears a command and the rest stay", async () => {
    const response = await put("acme", "legacy", { testCommand: "  make test  ", setupCommand: "", followUpBudgetUsd: 3.5, coderAttempts: 2, hasCi: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ testCommand: "make test", setupCommand: null, followUpBudgetUsd: 3.5, coderAttempts: 2, hasCi: true, profileSource: "user" });
    const stored = await db.repository.findUniqueOrThrow({ where: { owner_name: { owner: "acme", name: "legacy" } } });
    expect(stored).toMatchObject({ testCommand: "make test", setupCommand: null, profileSource: "user", coderAttempts: 2 });
    expect(stored.followUpBudgetUsd.toNumber()).toBe(3.5);
  });

  it.each([
    ["a multi-line command", { testCommand: "npm test\nrm -rf /" }, ["testCommand"], /single line/],
    ["a NUL character", { setupCommand: "npm ci\u0000" }, ["setupCommand"], /NUL/],
    ["a control character", { lintCommand: "eslint \u001b[31m." }, ["lintCommand"], /printable/],
    ["a bidi override that hides what runs", { testCommand: "npm test #\u202e; curl evil" }, ["testCommand"], /printable/],
    ["a command over 2000 characters", { buildCommand: "x".repeat(2001) }, ["buildCommand"], /2000/],
    ["a command that is not a string", { typecheckCommand: 42 }, ["typecheckCommand"], /string/],
    ["a follow-up budget of 0", { followUpBudgetUsd: 0 }, ["followUpBudgetUsd"], /more than 0/],
    ["a follow-up budget over 1000", { followUpBudgetUsd: 1000.5 }, ["followUpBudgetUsd"], /at most 1000/],
    ["9 coder attempts", { coderAttempts: 9 }, ["coderAttempts"], /at most 8/],
    ["a fractional coder attempts", { coderAttempts: 1.5 }, ["coderAttempts"], /whole number/],
    ["hasCi that is not a boolean", { hasCi: "yes" }, ["hasCi"], /true or false/],
    ["an unknown field", { testCommand: "npm test", repo: "x" }, ["(body)"], /repo/],
    ["an empty body", {}, ["(body)"], /at least one field/],
  ])("refuses %s with 400 naming the field, changing nothing", async (_name, body, fields, message) => {
    const before = await db.repository.findUniqueOrThrow({ where: { owner_name: { owner: "acme", name: "shop" } } });
    const response = await put("acme", "shop", body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
    expect(error.message).toMatch(message);
    expect(await db.repository.findUniqueOrThrow({ where: { owner_name: { owner: "acme", name: "shop" } } })).toEqual(before);
  });

  it("answers 404 for an unknown repository", async () => {
    expect((await put("acme", "nothing-here", { testCommand: "npm test" })).status).toBe(404);
  });
});

describe("POST /api/repositories/:owner/:name/detect", () => {
  it("detects the default branch's commands, and keeps a user's edits on the next detection", async () => {
    const response = await detect("acme", "shop");
    expect(response.status).toBe(200);
    const detected = await response.json();
    expect(detected).toMatchObject({
      setupCommand: "pnpm install --frozen-lockfile",
      testCommand: "pnpm test",
      buildCommand: "pnpm run build",
      typecheckCommand: "pnpm exec tsc --noEmit",
      profileSource: "detected",
      detectedSha: await github.branchSha("acme", "shop", "main"),
    });
    expect(detected.detectionReport).toContain("lockfile: pnpm-lock.yaml → pnpm install --frozen-lockfile");

    await put("acme", "shop", { testCommand: "pnpm vitest run --reporter=dot" });
    const again = await (await detect("acme", "shop")).json();
    expect(again).toMatchObject({ profileSource: "user", testCommand: "pnpm vitest run --reporter=dot", setupCommand: "pnpm install --frozen-lockfile" });
    expect(again.detectionReport).toContain("Profile edited by a user: its commands and CI setting were kept.");
    expect(again.detectionReport).toContain("testCommand: profile has pnpm vitest run --reporter=dot, detection found pnpm test");
  });

  it("answers 404 for a repository the factory does not know", async () => {
    expect((await detect("acme", "nothing-here")).status).toBe(404);
  });
});

describe("POST /api/runs command overrides", () => {
  const validRun = { repo: "acme/shop", title: "Add a cart", spec: "Add a cart page.", budgetUsd: 5, maxIterations: 3 };

  it("stores the run's own setup and test commands; \"\" means none and left out means the profile", async () => {
    const withOverrides = await postRun({ ...validRun, testCommand: " pnpm test -- cart ", setupCommand: "" });
    expect(withOverrides.status).toBe(201);
    const { id } = await withOverrides.json();
    expect(await db.run.findUniqueOrThrow({ where: { id } })).toMatchObject({ testCommand: "pnpm test -- cart", setupCommand: "" });

    const plain = await (await postRun(validRun)).json();
    expect(await db.run.findUniqueOrThrow({ where: { id: plain.id } })).toMatchObject({ testCommand: null, setupCommand: null });
  });

  it("refuses a bad override with 400 naming the field, creating no run", async () => {
    const before = await db.run.count();
    const response = await postRun({ ...validRun, testCommand: "npm test\nnpm run evil", setupCommand: "x".repeat(2001) });
    expect(response.status).toBe(400);
    expect((await errorFields(response)).sort()).toEqual(["setupCommand", "testCommand"]);
    expect(await db.run.count()).toBe(before);
  });
});
