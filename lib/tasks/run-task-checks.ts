// The deterministic feedback of the loop: the repository's own test command, run in the
// sandbox on the pushed branch. Setup (dependency install) gets network; tests do not.
import { recordRunEvent } from "../runs/record-run-event";
import { redactSecrets } from "../redact";
import { runSandboxed } from "../sandbox/run-sandboxed";
import type { WorkContext } from "./load-work-context";
import { openSessionWorkspace, taskCheckoutKey } from "./open-session-workspace";

export type CheckResult = { testResult: "passed" | "failed" | "not_run"; outputTail: string };

const outputTailChars = 8_000;
const commandTimeoutSec = 20 * 60;

export async function runTaskChecks(options: { context: WorkContext; iteration: number }): Promise<CheckResult> {
  const { context, iteration } = options;
  const task = context.task!;
  if (!context.repository.testCommand) {
    await recordRunEvent({ runId: context.run.id, type: "task.tests", payload: { taskKey: task.key, iteration, testResult: "not_run", message: "The repository has no test command." } });
    return { testResult: "not_run", outputTail: "" };
  }
  const { workspace } = await openSessionWorkspace({ repository: context.repository, workspaceKey: taskCheckoutKey(task.id), branch: task.branch! });
  let output = "";
  let exitCode = 0;
  if (context.repository.setupCommand) {
    const setup = await runSandboxed({ workspace, command: context.repository.setupCommand, timeoutSec: commandTimeoutSec, allowNetwork: true });
    output += `$ ${context.repository.setupCommand}\n${setup.output}\n`;
    exitCode = setup.exitCode;
  }
  if (exitCode === 0) {
    const tests = await runSandboxed({ workspace, command: context.repository.testCommand, timeoutSec: commandTimeoutSec, allowNetwork: false });
    output += `$ ${context.repository.testCommand}\n${tests.output}`;
    exitCode = tests.exitCode;
  }
  const result: CheckResult = { testResult: exitCode === 0 ? "passed" : "failed", outputTail: redactSecrets(output).slice(-outputTailChars) };
  await recordRunEvent({
    runId: context.run.id,
    type: "task.tests",
    payload: { taskKey: task.key, iteration, testResult: result.testResult, exitCode, outputTail: result.outputTail.slice(-2_000) },
  });
  return result;
}
