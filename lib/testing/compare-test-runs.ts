// Compares test runs of the same suite: a branch against its base commit (which failures are
// new, which were there before), and the tester's tests on the base (fail-to-pass).
import type { TestRun } from "./run-tests";
import { testKey, type FailingTest } from "./test-results";

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
