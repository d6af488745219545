// The test result as the fixer and the reviewer read it: one line with the counts, the
// failing tests this change caused (name, place, message), the pre-existing ones apart,
// and only then the raw output tail.
import type { ClassifiedFailures } from "./compare-test-runs";
import type { TestRun } from "./run-tests";
import type { FailingTest } from "./test-results";

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
