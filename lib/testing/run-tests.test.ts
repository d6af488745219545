// runTests in the real sandbox on a real repository: the reporter is added to the
// repository's own `npm test`, and results come back per test; base vs branch comparisons.
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailures, judgeFailToPass, proveFailOnBase, formatTestFeedback } from "./test-results";
import { planTestInvocation, reportDirName } from "./plan-test-invocation";
import { runTests, type TestRun } from "./run-tests";

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
