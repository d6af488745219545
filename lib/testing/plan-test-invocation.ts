// Recognises the test runner behind a repository's test command and asks it for a
// machine-readable report: a JUnit or JSON file in the workspace, or JSON on stdout. The
// command a user configured still runs as written; reporters are added around it.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type InvocationFormat = "junit" | "jest-json" | "go-json" | "cargo" | "auto";

export type TestInvocation = {
  /** The shell text to run: environment exports, then the (possibly extended) command. */
  command: string;
  format: InvocationFormat;
  /** Absolute path of the report file the runner writes, when it writes one. */
  reportFile: string | null;
  /** What was recognised, for the run's log ("vitest via npm test"). */
  runner: string | null;
};

/** Where reports go inside the workspace; removed before and after each run. */
export const reportDirName = ".factory-test-report";

const packageScriptPattern = /^(npm|pnpm|yarn)\s+(?:run(?:-script)?\s+)?(test|t|[\w:.-]+)\s*$/;
const compoundPattern = /&&|\|\||[;|]/;

export function planTestInvocation(options: { testCommand: string; workspace: string }): TestInvocation {
  const command = options.testCommand.trim();
  const reportDir = path.join(options.workspace, reportDirName);
  const packageScript = command.match(packageScriptPattern);
  const script = packageScript ? readPackageScript(options.workspace, packageScript[2] === "t" ? "test" : packageScript[2]) : null;
  const runnerText = script ?? command;
  const via = packageScript ? ` via ${command}` : "";
  // Extra arguments reach the runner only when the runner is the whole command.
  const canAppend = !compoundPattern.test(runnerText) && !compoundPattern.test(command);
  const append = (args: string) =>
    packageScript ? `${command} ${packageScript[1] === "npm" ? "-- " : ""}${args}` : `${command} ${args}`;

  if (/\bvitest\b/.test(runnerText) && canAppend) {
    const reportFile = path.join(reportDir, "vitest.json");
    return { command: append(`--reporter=default --reporter=json --outputFile.json=${quote(reportFile)}`), format: "jest-json", reportFile, runner: `vitest${via}` };
  }
  if (/\bjest\b/.test(runnerText) && canAppend) {
    const reportFile = path.join(reportDir, "jest.json");
    return { command: append(`--json --outputFile=${quote(reportFile)}`), format: "jest-json", reportFile, runner: `jest${via}` };
  }
  if (/\bnode\b[^&|;]*\s--test\b/.test(runnerText)) {
    // node --test takes reporters from NODE_OPTIONS, wherever in the script it runs.
    const reportFile = path.join(reportDir, "node-test.xml");
    const nodeOptions = `--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=${reportFile}`;
    return { command: `export NODE_OPTIONS=${quote(nodeOptions)}\n${command}`, format: "junit", reportFile, runner: `node --test${via}` };
  }
  if (/^go\s+test\b/.test(runnerText) && canAppend && !packageScript) {
    return { command: command.replace(/^go\s+test\b/, "go test -json"), format: "go-json", reportFile: null, runner: "go test" };
  }
  if (/\bcargo\s+test\b/.test(runnerText)) {
    return { command, format: "cargo", reportFile: null, runner: `cargo test${via}` };
  }
  // pytest reads extra options from PYTEST_ADDOPTS however it is started (make, tox, scripts);
  // for any other runner the variable is inert, and the summary line is read instead.
  const reportFile = path.join(reportDir, "pytest.xml");
  const isPytest = /\b(pytest|py\.test)\b/.test(runnerText);
  return {
    command: `export PYTEST_ADDOPTS=${quote(`--junitxml=${reportFile}`)}\n${command}`,
    format: isPytest ? "junit" : "auto",
    reportFile,
    runner: isPytest ? `pytest${via}` : null,
  };
}

function readPackageScript(workspace: string, name: string): string | null {
  const file = path.join(workspace, "package.json");
  if (!existsSync(file)) return null;
  try {
    const scripts = (JSON.parse(readFileSync(file, "utf8")) as { scripts?: Record<string, unknown> }).scripts;
    const script = scripts?.[name];
    return typeof script === "string" ? script : null;
  } catch {
    return null;
  }
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
