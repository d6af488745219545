// Test runs as structured feedback: run, parse, compare with the base, describe.
export { classifyFailures, judgeFailToPass, proveFailOnBase, type BaselineSummary, type ClassifiedFailures, type FailOnBaseProof, type FailToPassStatus } from "./compare-test-runs";
export { formatTestFeedback } from "./format-test-feedback";
export { planTestInvocation, type TestInvocation } from "./plan-test-invocation";
export { readResults, runTests, setupFailureName, type TestRun } from "./run-tests";
export { buildCommandKey, findTestBaseline, readOrRunTestBaseline, saveTestBaseline } from "./test-baseline";
export { testKey, type FailingTest, type ParsedTests, type ReportFormat, type TestCase } from "./test-results";
