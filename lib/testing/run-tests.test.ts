// runTests in the real sandbox on a real repository: the reporter is added to the
// repository's own `npm test`, and results come back per test; base vs branch comparisons.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commitAll } from "@/lib/git/branches";
import { classifyFailures, judgeFailToPass, proveFailOnBase, formatTestFeedback } from "./test-results";
import { planTestInvocation, reportDirName } from "./plan-test-invocation";
import { runTests, setUpWorkspaceOnce, type TestRun } from "./run-tests";

function writeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "factory-run-tests-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const nodeRepo = {
  "package.json": JSON.stringify({ name: "greeter", type: "module", scripts: { test: "node --test" } }),
  "greet.js": "export const greet = (name) => `helo ${name}`;\n",
  "test/greet.test.js": [
    "import test from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { greet } from '../greet.js';",
    "test('greets by name', () => assert.equal(greet('Ada'), 'hello Ada'));",
    "test('is a function', () => assert.equal(typeof greet, 'function'));",
    "",
  ].join("\n"),
};

describe("runTests", () => {
  it("runs `npm test` (node --test) in the sandbox and reads each failing test with its message and place", async () => {
    const workspace = writeRepo(nodeRepo);
    const run = await runTests({ workspace, setupCommand: null, testCommand: "npm test" });
    expect(run).toMatchObject({ outcome: "failed", format: "junit", runner: "node --test via npm test", passed: 1, failed: 1 });
    expect(run.failing).toEqual([{ name: "greets by name", location: "test/greet.test.js:4", message: expect.stringContaining("'helo Ada'") }]);
    expect(run.outputTail).toContain("greets by name");
    expect(existsSync(path.join(workspace, reportDirName))).toBe(false);

    writeFileSync(path.join(workspace, "greet.js"), "export const greet = (name) => `hello ${name}`;\n");
    expect(await runTests({ workspace, setupCommand: null, testCommand: "npm test" })).toMatchObject({ outcome: "passed", passed: 2, failed: 0, failing: [] });
  });

  it("reports a failing setup command as the failure, and no test command as not run", async () => {
    const workspace = writeRepo(nodeRepo);
    const setupFailed = await runTests({ workspace, setupCommand: "exit 3", testCommand: "npm test" });
    expect(setupFailed).toMatchObject({ outcome: "failed", failing: [{ name: "(setup command)", message: "`exit 3` exited with 3" }] });
    expect(await runTests({ workspace, setupCommand: null, testCommand: "  " })).toMatchObject({ outcome: "not_run", notRunReason: "The repository has no test command." });
  });

  it("judges an unrecognised runner by its closing line and exit code", async () => {
    const workspace = writeRepo({ "check.sh": "echo 'result: 4 passed, 1 failed'\nexit 1\n" });
    expect(await runTests({ workspace, setupCommand: null, testCommand: "sh check.sh" })).toMatchObject({ outcome: "failed", format: "summary", passed: 4, failed: 1 });
  });
});

describe("setUpWorkspaceOnce", () => {
  const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });
  /** A repository whose "install" creates a dependency folder and an oddly named file, rewrites the tracked lockfile, and counts its runs. */
  function repoWithSetup(): string {
    const workspace = writeRepo({ "lock.txt": "pinned\n", "src/app.js": "export {};\n" });
    git(workspace, "init", "--quiet", "--initial-branch=main");
    git(workspace, "add", "--all");
    git(workspace, "commit", "--quiet", "-m", "base");
    return workspace;
  }
  const install = "mkdir -p deps/pkg && echo lib > deps/pkg/index.js && echo x > 'weird*name' && echo changed > lock.txt && echo run >> .git-runs";

  it("installs once, so the agent's commands find dependencies, and none of it reaches a commit", async () => {
    const workspace = repoWithSetup();
    expect(await setUpWorkspaceOnce({ workspace, setupCommand: install })).toMatchObject({ status: "done" });
    expect(readFileSync(path.join(workspace, "deps/pkg/index.js"), "utf8")).toBe("lib\n");
    // What setup created is excluded, the lockfile it rewrote is restored: the tree reads clean.
    expect(git(workspace, "status", "--porcelain")).toBe("");
    expect(readFileSync(path.join(workspace, "lock.txt"), "utf8")).toBe("pinned\n");

    // The next chunk's reset keeps the dependencies, and setup does not run again.
    git(workspace, "clean", "-fdq");
    expect(existsSync(path.join(workspace, "deps/pkg/index.js"))).toBe(true);
    expect(await setUpWorkspaceOnce({ workspace, setupCommand: install })).toMatchObject({ status: "already_done" });
    expect(readFileSync(path.join(workspace, ".git-runs"), "utf8")).toBe("run\n");

    // The agent's own change is all a commit carries.
    writeFileSync(path.join(workspace, "src/app.js"), "export const answer = 42;\n");
    expect(await commitAll({ workspace, message: "turn 1" })).toMatch(/^[0-9a-f]{40}$/);
    expect(git(workspace, "show", "--name-only", "--format=", "HEAD").trim()).toBe("src/app.js");
  });

  it("runs a changed setup command again, reports a failure once, and does nothing without a command", async () => {
    const workspace = repoWithSetup();
    expect(await setUpWorkspaceOnce({ workspace, setupCommand: null })).toEqual({ status: "none", outputTail: "" });
    const failing = await setUpWorkspaceOnce({ workspace, setupCommand: "echo cannot reach the registry >&2; exit 7" });
    expect(failing.status).toBe("failed");
    expect(failing.outputTail).toContain("cannot reach the registry");
    expect(await setUpWorkspaceOnce({ workspace, setupCommand: "echo cannot reach the registry >&2; exit 7" })).toMatchObject({ status: "already_done" });
    expect(await setUpWorkspaceOnce({ workspace, setupCommand: install })).toMatchObject({ status: "done" });
  });
});

describe("planTestInvocation", () => {
  it("adds each runner's machine-readable reporter to the command it recognises", () => {
    const workspace = writeRepo({ "package.json": JSON.stringify({ scripts: { test: "vitest run", "test:unit": "jest --ci", both: "vitest run && eslint ." } }) });
    const report = path.join(workspace, reportDirName);
    expect(planTestInvocation({ testCommand: "npm test", workspace })).toMatchObject({ format: "jest-json", command: `npm test -- --reporter=default --reporter=json --outputFile.json='${report}/vitest.json'` });
    expect(planTestInvocation({ testCommand: "pnpm run test:unit", workspace })).toMatchObject({ format: "jest-json", command: `pnpm run test:unit --json --outputFile='${report}/jest.json'` });
    // A compound script cannot take arguments at its end; pytest's variable is inert for it.
    expect(planTestInvocation({ testCommand: "npm run both", workspace })).toMatchObject({ format: "auto", runner: null });
    expect(planTestInvocation({ testCommand: "go test ./...", workspace })).toMatchObject({ format: "go-json", command: "go test -json ./..." });
    expect(planTestInvocation({ testCommand: "python -m pytest -q", workspace })).toMatchObject({ format: "junit", command: `export PYTEST_ADDOPTS='--junitxml=${report}/pytest.xml'\npython -m pytest -q` });
    expect(planTestInvocation({ testCommand: "cargo test --all", workspace })).toMatchObject({ format: "cargo", command: "cargo test --all" });
  });
});

const run = (overrides: Partial<TestRun>): TestRun => ({
  outcome: "failed", notRunReason: null, command: "npm test", runner: null, format: "junit", exitCode: 1,
  passed: 0, failed: 0, skipped: 0, failing: [], tests: [], outputTail: "", ...overrides,
});

describe("comparing runs", () => {
  it("separates failures the change caused from those the base commit already had", () => {
    const branch = run({
      passed: 3, failed: 2,
      failing: [{ name: "legacy flakes", message: "timeout", location: null }, { name: "greets", message: "'helo' == 'hello'", location: "test/a.js:3" }],
    });
    const classified = classifyFailures(branch, { outcome: "failed", failed: 1, failingTests: [{ name: "legacy flakes", message: "timeout", location: null }] });
    expect(classified.newFailures.map((t) => t.name)).toEqual(["greets"]);
    expect(classified.preexisting.map((t) => t.name)).toEqual(["legacy flakes"]);
    expect(classified.isBlocking).toBe(true);
    const feedback = formatTestFeedback({ run: branch, classified });
    expect(feedback.indexOf("greets (test/a.js:3)")).toBeLessThan(feedback.indexOf("Pre-existing failures"));
    expect(feedback).toContain("3 passed, 2 failed (1 new, 1 pre-existing)");

    const onlyOld = run({ failed: 1, failing: [{ name: "legacy flakes", message: "timeout", location: null }] });
    expect(classifyFailures(onlyOld, { outcome: "failed", failed: 1, failingTests: onlyOld.failing }).isBlocking).toBe(false);
    // Without per-test results: no more failures than on the base does not block.
    expect(classifyFailures(run({ format: "summary", failed: 1 }), { outcome: "failed", failed: 1, failingTests: [] }).isBlocking).toBe(false);
    expect(classifyFailures(run({ format: "summary", failed: 2 }), { outcome: "failed", failed: 1, failingTests: [] }).isBlocking).toBe(true);
  });

  it("proves fail-to-pass: the tester's tests fail on the base and pass on the branch; one passing on the base is named", () => {
    const base = run({ outcome: "passed", tests: [{ name: "old", status: "passed" }] });
    const withTests = run({ tests: [{ name: "old", status: "passed" }, { name: "greets", status: "failed" }, { name: "adds", status: "passed" }] });
    const proof = proveFailOnBase({ base, withTesterTests: withTests, testerFiles: ["test/a.test.js"] });
    expect(proof).toMatchObject({ status: "checked", failingOnBase: ["greets"], passingOnBase: ["adds"] });
    expect(judgeFailToPass(proof, { outcome: "passed", format: "junit", failingKeys: [] })).toBe("not_proven");

    const good = proveFailOnBase({ base, withTesterTests: run({ tests: [{ name: "old", status: "passed" }, { name: "greets", status: "failed" }] }), testerFiles: ["test/a.test.js"] });
    expect(judgeFailToPass(good, { outcome: "passed", format: "junit", failingKeys: [] })).toBe("proven");
    expect(judgeFailToPass(good, { outcome: "failed", format: "junit", failingKeys: ["greets"] })).toBe("not_proven");
    expect(judgeFailToPass(proveFailOnBase({ base, withTesterTests: base, testerFiles: [] }), { outcome: "passed", format: "junit", failingKeys: [] })).toBe("not_run");
  });
});
