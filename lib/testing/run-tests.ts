// Running a repository's tests in the sandbox, once per base commit for the baseline.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { runGit } from "@/lib/git/run-git";
import { redactSecrets } from "@/lib/redact";
import { runSandboxed } from "@/lib/sandbox/run-sandboxed";
import { parseCargoOutput, parseGoTestJson, parseJestJson, parseJunitXml, parseSummaryLine } from "./parsers";
import { planTestInvocation, reportDirName } from "./plan-test-invocation";
import type { FailingTest, ParsedTests, ReportFormat, TestCase, BaselineSummary } from "./test-results";

// Runs a repository's setup and test commands in the sandbox and reads the results as
// structured data: counts, every test's outcome, failing tests with message and file:line.
// Setup (dependency install) gets network; tests do not.
export type TestOutcomeName = "passed" | "failed" | "not_run";

export type TestRun = {
  outcome: TestOutcomeName;
  /** Why nothing ran ("no test command"), when outcome is not_run. */
  notRunReason: string | null;
  command: string | null;
  runner: string | null;
  format: ReportFormat | null;
  exitCode: number | null;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  /** Failing tests, in report order (capped). */
  failing: FailingTest[];
  /** Every test's identity and outcome, for comparing runs (capped). */
  tests: Pick<TestCase, "name" | "file" | "status">[];
  outputTail: string;
};

const outputTailChars = 6_000;
const maxFailing = 50;
const maxTests = 5_000;
const commandTimeoutSec = 20 * 60;
/** Name of the failing "test" standing for a setup command that failed. */
const setupFailureName = "(setup command)";

export type WorkspaceSetup = { status: "none" | "done" | "already_done" | "failed"; outputTail: string };

/**
 * Runs the setup command once in an agent's workspace, so the agent's own test runs find their
 * dependencies. What setup creates is listed in .git/info/exclude: never committed, and kept by
 * the `git clean` that resets the workspace between chunks. Tracked files it rewrote (a lockfile)
 * are restored, so the agent's commits carry only its own changes. A marker in .git (out of the
 * sandbox's reach: .git is mounted read-only there) keys it to the command, once per workspace.
 * A failed setup is not retried every chunk: the agent sees what is missing when it runs the
 * tests, and the loop's own test step reports the setup failure as a failing test.
 */
export async function setUpWorkspaceOnce(options: { workspace: string; setupCommand: string | null }): Promise<WorkspaceSetup> {
  const setupCommand = options.setupCommand?.trim() || null;
  if (!setupCommand) return { status: "none", outputTail: "" };
  const cwd = realpathSync(options.workspace);
  const marker = path.join(cwd, ".git", "factory-setup");
  const key = createHash("sha256").update(setupCommand).digest("hex");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === key) return { status: "already_done", outputTail: "" };
  const setup = await runSandboxed({ workspace: cwd, command: setupCommand, timeoutSec: commandTimeoutSec, allowNetwork: true });
  const { stdout } = await runGit({ cwd, args: ["status", "--porcelain=v1", "-z", "--untracked-files=normal"] });
  const entries = stdout.split("\0").filter(Boolean);
  const created = entries.filter((entry) => entry.startsWith("?? ")).map((entry) => entry.slice(3));
  if (created.length) {
    mkdirSync(path.join(cwd, ".git", "info"), { recursive: true });
    appendFileSync(path.join(cwd, ".git", "info", "exclude"), `\n# created by the setup command\n${created.map(toExcludePattern).join("\n")}\n`);
  }
  if (entries.some((entry) => !entry.startsWith("?? "))) await runGit({ cwd, args: ["checkout", "--quiet", "--", "."] });
  writeFileSync(marker, `${key}\n`);
  const outputTail = tailOf(`$ ${setupCommand}\n${setup.output}`);
  return setup.exitCode === 0 ? { status: "done", outputTail } : { status: "failed", outputTail };
}

export async function runTests(options: { workspace: string; setupCommand: string | null; testCommand: string | null }): Promise<TestRun> {
  const testCommand = options.testCommand?.trim() || null;
  if (!testCommand) return notRun("The repository has no test command.");
  const workspace = realpathSync(options.workspace);
  const reportDir = path.join(workspace, reportDirName);
  rmSync(reportDir, { recursive: true, force: true });
  try {
    const setupCommand = options.setupCommand?.trim() || null;
    if (setupCommand) {
      const setup = await runSandboxed({ workspace, command: setupCommand, timeoutSec: commandTimeoutSec, allowNetwork: true });
      if (setup.exitCode !== 0) {
        const tail = tailOf(`$ ${setupCommand}\n${setup.output}`);
        return {
          ...notRun(null), outcome: "failed", command: testCommand, exitCode: setup.exitCode, passed: 0, failed: 1, outputTail: tail,
          failing: [{ name: setupFailureName, message: `\`${setupCommand}\` exited with ${setup.exitCode}${setup.isTimedOut ? " (timed out)" : ""}`, location: null }],
          tests: [{ name: setupFailureName, status: "failed" }],
        };
      }
    }
    const invocation = planTestInvocation({ testCommand, workspace });
    const result = await runSandboxed({ workspace, command: `mkdir -p ${reportDirName}\n${invocation.command}`, timeoutSec: commandTimeoutSec, allowNetwork: false, maxOutputBytes: 512 * 1024 });
    const parsed = readResults({ format: invocation.format, reportFile: invocation.reportFile, output: result.output, root: workspace });
    const failed = parsed?.failed ?? (result.exitCode === 0 ? 0 : null);
    const outcome: TestOutcomeName = result.exitCode !== 0 || (failed ?? 0) > 0 ? "failed" : "passed";
    const failing = (parsed?.tests ?? [])
      .filter((test) => test.status === "failed")
      .slice(0, maxFailing)
      .map((test) => ({ name: test.name, message: test.message ?? "", location: test.location ?? null }));
    return {
      outcome,
      notRunReason: null,
      command: testCommand,
      runner: invocation.runner,
      format: parsed?.format ?? "exit-code",
      exitCode: result.exitCode,
      passed: parsed?.passed ?? null,
      failed,
      skipped: parsed?.skipped ?? null,
      failing,
      tests: (parsed?.tests ?? []).slice(0, maxTests).map(({ name, file, status }) => ({ name, status, ...(file ? { file } : {}) })),
      outputTail: tailOf(`$ ${testCommand}\n${parsed?.readableOutput ?? result.output}${result.isTimedOut ? "\n(timed out)" : ""}`),
    };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The report file when the runner wrote one, else what stdout says. A broken report falls back. */
export function readResults(input: { format: string; reportFile: string | null; output: string; root?: string }): ParsedTests | null {
  const { reportFile, output, root } = input;
  try {
    if (reportFile && existsSync(reportFile)) {
      const text = readFileSync(reportFile, "utf8");
      if (text.trim()) return withSummaryCounts(reportFile.endsWith(".json") ? parseJestJson(text, root) : parseJunitXml(text, root), output);
    }
    if (input.format === "go-json" || /^\{"Time":.*"Action":/m.test(output)) return parseGoTestJson(output);
    const cargo = parseCargoOutput(output);
    if (cargo) return cargo;
  } catch {
    // A truncated or foreign report: the summary line and the exit code still tell something.
  }
  return parseSummaryLine(output);
}

/**
 * A report file the runner had not finished writing (seen with node's JUnit reporter under
 * load) counts fewer tests than the runner's own closing line; the closing line's counts win
 * then, and the report still names the failing tests it holds.
 */
function withSummaryCounts(report: ParsedTests, output: string): ParsedTests {
  const summary = parseSummaryLine(output);
  const total = (counts: ParsedTests) => (counts.passed ?? 0) + (counts.failed ?? 0);
  if (!summary || total(summary) <= total(report)) return report;
  return { ...report, passed: summary.passed, failed: summary.failed, skipped: Math.max(report.skipped ?? 0, summary.skipped ?? 0) };
}

function notRun(reason: string | null): TestRun {
  return {
    outcome: "not_run", notRunReason: reason, command: null, runner: null, format: null, exitCode: null,
    passed: null, failed: null, skipped: null, failing: [], tests: [], outputTail: "",
  };
}

/** An exclude line matching exactly this root-relative path: glob and comment characters escaped. */
function toExcludePattern(file: string): string {
  return `/${file.replace(/[\\*?[\]!#]/g, (char) => `\\${char}`).replace(/ $/, "\\ ")}`;
}

function tailOf(text: string): string {
  const clean = redactSecrets(text);
  return clean.length > outputTailChars ? `…${clean.slice(-outputTailChars)}` : clean;
}

// The tests of a base commit, run once per (repository, base sha, commands) and reused by
// every task and iteration on that base: failures there are not a task's fault.
export function buildCommandKey(commands: { setupCommand: string | null; testCommand: string | null }): string {
  return createHash("sha256").update(`${commands.setupCommand ?? ""}\u0000${commands.testCommand ?? ""}`).digest("hex").slice(0, 32);
}

async function findTestBaseline(key: { repositoryId: string; baseSha: string; commandKey: string }): Promise<BaselineSummary | null> {
  const row = await db.testBaseline.findUnique({
    where: { repositoryId_baseSha_commandKey: key },
    select: { outcome: true, failed: true, failingTests: true },
  });
  return row ? { outcome: row.outcome, failed: row.failed, failingTests: row.failingTests as FailingTest[] } : null;
}

/** Stores a base run; a concurrent task that stored the same base first wins, harmlessly. */
export async function saveTestBaseline(key: { repositoryId: string; baseSha: string; commandKey: string }, run: TestRun): Promise<BaselineSummary> {
  await db.testBaseline.createMany({
    data: [{
      ...key,
      outcome: run.outcome,
      passed: run.passed,
      failed: run.failed,
      failingTests: run.failing,
      outputTail: run.outputTail.slice(-4_000),
    }],
    skipDuplicates: true,
  });
  return (await findTestBaseline(key))!;
}

/** The cached baseline, or runs `runOnBase` once and caches it. */
export async function readOrRunTestBaseline(options: {
  repositoryId: string;
  baseSha: string;
  commands: { setupCommand: string | null; testCommand: string | null };
  runOnBase: () => Promise<TestRun>;
}): Promise<BaselineSummary> {
  const key = { repositoryId: options.repositoryId, baseSha: options.baseSha, commandKey: buildCommandKey(options.commands) };
  return (await findTestBaseline(key)) ?? saveTestBaseline(key, await options.runOnBase());
}
