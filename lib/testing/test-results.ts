// Test results: their shape, comparing runs (baseline, fail-to-pass), and the feedback text.
import type { TestRun } from "./run-tests";

// The shape every test runner's output is parsed into: counts, each test's outcome, and the
// failing tests with a message and a file:line, so feedback names what broke and where.

export type TestStatus = "passed" | "failed" | "skipped";

/** One test (or a file/package that failed to load, named by its path). */
export type TestCase = {
  name: string;
  status: TestStatus;
  /** Workspace-relative file, when the runner says. */
  file?: string;
  message?: string;
  /** "path:line" of the failure, workspace-relative. */
  location?: string;
};

/** How the results were read: a machine-readable report, or only a summary line / exit code. */
export type ReportFormat = "junit" | "jest-json" | "go-json" | "cargo" | "summary" | "exit-code";

export type ParsedTests = {
  format: ReportFormat;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  /** Every test the report lists; empty for summary/exit-code formats. */
  tests: TestCase[];
  /** Readable output, when the runner's stdout was machine-readable (go test -json). */
  readableOutput?: string;
};

export type FailingTest = { name: string; message: string; location: string | null };

/** A stable identity for comparing runs (base vs branch): file (when known) and name. */
export function testKey(test: Pick<TestCase, "name" | "file">): string {
  return test.file ? `${test.file} › ${test.name}` : test.name;
}

const maxMessageChars = 600;

/** The first meaningful lines of a failure message, trimmed for a prompt. */
export function trimMessage(message: string | undefined | null): string {
  const text = (message ?? "").replace(/\r/g, "").trim();
  return text.length > maxMessageChars ? `${text.slice(0, maxMessageChars)}…` : text;
}

/** Counts from a test list, for formats that list every test. */
export function countTests(tests: TestCase[]): Pick<ParsedTests, "passed" | "failed" | "skipped"> {
  return {
    passed: tests.filter((t) => t.status === "passed").length,
    failed: tests.filter((t) => t.status === "failed").length,
    skipped: tests.filter((t) => t.status === "skipped").length,
  };
}

// A source position in a message or stack: "src/a.ts:12", "/abs/a.test.mjs:3:29", "file:///x/a.js:3".
const positionPattern = /(?:file:\/\/)?((?:\.{0,2}\/)?[\w@.+-]+(?:\/[\w@.+-]+)*\.[A-Za-z]{1,6}):(\d+)(?::\d+)?/g;

/**
 * The first position in `text` inside the workspace (not node_modules, not the runtime's own
 * files), as "relative/path:line". Absolute paths are made relative to `root`.
 */
export function findLocation(text: string | undefined, root?: string): string | null {
  if (!text) return null;
  for (const match of text.matchAll(positionPattern)) {
    const file = relativeTo(match[1], root);
    if (file === null || file.includes("node_modules/") || file.startsWith("node:") || /^(internal|rustc)\//.test(file)) continue;
    return `${file}:${match[2]}`;
  }
  return null;
}

/** `path` relative to root; null for an absolute path outside it. */
export function relativeTo(path: string, root?: string): string | null {
  const clean = path.replace(/^file:\/\//, "");
  if (!clean.startsWith("/")) return clean.replace(/^\.\//, "");
  if (!root) return clean;
  const prefix = root.endsWith("/") ? root : `${root}/`;
  return clean.startsWith(prefix) ? clean.slice(prefix.length) : null;
}

// Compares test runs of the same suite: a branch against its base commit (which failures are
// new, which were there before), and the tester's tests on the base (fail-to-pass).
/** What a base commit's run says, as cached in TestBaseline. */
export type BaselineSummary = {
  outcome: "passed" | "failed" | "not_run";
  failed: number | null;
  failingTests: FailingTest[];
};

export type ClassifiedFailures = {
  newFailures: FailingTest[];
  preexisting: FailingTest[];
  /** Failures this change caused: they block the task. Pre-existing ones never do. */
  isBlocking: boolean;
};

const isStructured = (run: Pick<TestRun, "format">) => run.format === "junit" || run.format === "jest-json" || run.format === "go-json" || run.format === "cargo";

export function classifyFailures(run: TestRun, baseline: BaselineSummary | null): ClassifiedFailures {
  if (run.outcome !== "failed") return { newFailures: [], preexisting: [], isBlocking: false };
  const before = new Set((baseline?.failingTests ?? []).map((test) => test.name));
  const preexisting = run.failing.filter((test) => before.has(test.name));
  const newFailures = run.failing.filter((test) => !before.has(test.name));
  if (isStructured(run) && run.failing.length > 0) return { newFailures, preexisting, isBlocking: newFailures.length > 0 };
  // Without per-test results only the counts can tell: no more failures than the base had.
  const isNoWorseThanBase = baseline?.outcome === "failed" && baseline.failed !== null && run.failed !== null && run.failed <= baseline.failed;
  return { newFailures, preexisting, isBlocking: !isNoWorseThanBase };
}

/** The tester's tests on the base commit: which fail there (good) and which pass (they test nothing new). */
export type FailOnBaseProof = {
  status: "checked" | "not_run";
  /** Why it could not be checked, or what was found, in a sentence. */
  note: string;
  testerFiles: string[];
  /** Tests (by key) the tester's files add to the base run. */
  addedTests: string[];
  /** Tests (by key) failing on base with the tester's files and not without them. */
  failingOnBase: string[];
  /** Added tests that pass on the base commit: they do not test the change. */
  passingOnBase: string[];
  /** Unstructured runs: whether the tester's files made the base run fail (more). */
  isBaseFailingByCount: boolean;
};

export function proveFailOnBase(input: { base: TestRun; withTesterTests: TestRun; testerFiles: string[] }): FailOnBaseProof {
  const { base, withTesterTests, testerFiles } = input;
  const empty = { testerFiles, addedTests: [], failingOnBase: [], passingOnBase: [], isBaseFailingByCount: false };
  if (testerFiles.length === 0) return { ...empty, status: "not_run", note: "The tester changed no test files." };
  if (withTesterTests.outcome === "not_run") return { ...empty, status: "not_run", note: withTesterTests.notRunReason ?? "The tests did not run." };
  const isBaseFailingByCount =
    withTesterTests.outcome === "failed" && (base.outcome === "passed" || (withTesterTests.failed ?? 0) > (base.failed ?? 0));
  if (!isStructured(withTesterTests)) {
    return { ...empty, status: "checked", isBaseFailingByCount, note: isBaseFailingByCount ? "The tester's tests fail on the base commit." : "The tester's tests do not fail on the base commit." };
  }
  const baseKeys = new Set(base.tests.map(testKey));
  const baseFailing = new Set(base.tests.filter((test) => test.status === "failed").map(testKey));
  const added = withTesterTests.tests.filter((test) => !baseKeys.has(testKey(test)));
  const failingOnBase = withTesterTests.tests.filter((test) => test.status === "failed" && !baseFailing.has(testKey(test))).map(testKey);
  const passingOnBase = added.filter((test) => test.status === "passed").map(testKey);
  const note = passingOnBase.length
    ? `${passingOnBase.length} of the tester's tests pass on the base commit.`
    : failingOnBase.length
      ? `${failingOnBase.length} of the tester's tests fail on the base commit.`
      : "The tester's tests neither add nor break anything on the base commit.";
  return { status: "checked", note, testerFiles, addedTests: added.map(testKey), failingOnBase, passingOnBase, isBaseFailingByCount };
}

export type FailToPassStatus = "proven" | "not_proven" | "not_run";

/**
 * Proven when the tester's tests fail on the base commit, none of them passes there, and
 * they all pass on the branch.
 */
export function judgeFailToPass(proof: FailOnBaseProof | null, branch: Pick<TestRun, "outcome" | "format"> & { failingKeys: string[] }): FailToPassStatus {
  if (!proof || proof.status === "not_run" || branch.outcome === "not_run") return "not_run";
  if (proof.passingOnBase.length > 0) return "not_proven";
  if (proof.failingOnBase.length === 0) return proof.isBaseFailingByCount && branch.outcome === "passed" ? "proven" : "not_proven";
  const failingOnBranch = new Set(branch.failingKeys);
  if (!isStructured(branch)) return branch.outcome === "passed" ? "proven" : "not_proven";
  return proof.failingOnBase.every((key) => !failingOnBranch.has(key)) ? "proven" : "not_proven";
}

// The test result as the fixer and the reviewer read it: one line with the counts, the
// failing tests this change caused (name, place, message), the pre-existing ones apart,
// and only then the raw output tail.
export function formatTestFeedback(input: { run: Pick<TestRun, "outcome" | "notRunReason" | "command" | "runner" | "passed" | "failed" | "skipped" | "outputTail">; classified: ClassifiedFailures }): string {
  const { run, classified } = input;
  if (run.outcome === "not_run") return `Tests: not run. ${run.notRunReason ?? ""}`.trim();
  const lines = [`Tests: ${run.outcome === "passed" ? "passed" : "FAILED"}. ${describeCounts(run, classified)}`];
  if (run.command) lines.push(`Command: \`${run.command}\`${run.runner ? ` (${run.runner})` : ""}`);
  if (classified.newFailures.length) {
    lines.push("", "Failing tests caused by this change:", ...classified.newFailures.map(formatFailing));
  }
  if (classified.preexisting.length) {
    lines.push("", "Pre-existing failures (they fail on the base commit too; not caused by this change, they do not block it):", ...classified.preexisting.map(formatFailing));
  }
  if (run.outcome === "failed" && run.outputTail) lines.push("", "Output (tail):", run.outputTail);
  return lines.join("\n");
}

function describeCounts(run: Pick<TestRun, "passed" | "failed" | "skipped">, classified: ClassifiedFailures): string {
  if (run.passed === null && run.failed === null) return "(no per-test results: judged by the exit code)";
  const parts = [`${run.passed ?? 0} passed`, `${run.failed ?? 0} failed`];
  if (run.skipped) parts.push(`${run.skipped} skipped`);
  const split = classified.preexisting.length ? ` (${classified.newFailures.length} new, ${classified.preexisting.length} pre-existing)` : "";
  return `${parts.join(", ")}${split}.`;
}

function formatFailing(test: FailingTest, index: number): string {
  const message = test.message ? `\n   ${test.message.split("\n").slice(0, 12).join("\n   ")}` : "";
  return `${index + 1}. ${test.name}${test.location ? ` (${test.location})` : ""}${message}`;
}
