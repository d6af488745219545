// The tester after the coder's first pass: it writes against the real interface, and its tests
// are then proven to fail on the base commit (fail-to-pass, first half). A test that passes
// there goes back to it, up to maxTesterSessions sessions.
import type { GetStepTools } from "inngest";
import type { TaskContext } from "../lib/tasks/load-work-context";
import { attemptCheckoutKey, openSessionWorkspace, taskCheckoutKey } from "../lib/tasks/open-session-workspace";
import { proveTesterTests } from "../lib/tasks/prove-tester-tests";
import { describeTask, startRoleSession } from "../lib/tasks/start-role-session";
import type { FailOnBaseProof } from "../lib/testing";
import type { inngest } from "@/lib/inngest";
import { runSessionSteps } from "./run-session-steps";

type Step = GetStepTools<typeof inngest>;

/** Tester sessions per task: the first, and retries when its tests pass on the base commit. */
const maxTesterSessions = 3;

export type TesterResult = {
  proof: FailOnBaseProof | null;
  isBudgetExhausted: boolean;
  /** The branch head after the tester: where its test files can be read from. */
  headSha: string | null;
};

export async function runTesterSteps(
  step: Step,
  options: { taskId: string; load: () => Promise<TaskContext>; branch: string; attempt?: { number: number; branch: string } },
): Promise<TesterResult> {
  const { taskId, load, branch, attempt } = options;
  const workspaceKey = attempt ? attemptCheckoutKey(taskId, attempt.number) : taskCheckoutKey(taskId);
  const readHead = async () => {
    const context = await load();
    return (await openSessionWorkspace({ repository: context.repository, workspaceKey, branch })).headSha;
  };
  const testerStartSha = await step.run("read-head-before-tester", readHead);
  let proof: FailOnBaseProof | null = null;
  for (let session = 1; session <= maxTesterSessions; session++) {
    const previous = proof;
    const testerId = await step.run(`start-tester-${session}`, async () => {
      const context = await load();
      const feedback = previous?.passingOnBase.length ? [{ source: "fail-to-pass", text: describeTestsPassingOnBase(previous) }] : undefined;
      return startRoleSession({ context, role: "tester", task: describeTask(context.task), branch, iteration: 1, feedback });
    });
    const tested = await runSessionSteps(step, { sessionId: testerId, stepPrefix: `tester-${session}` });
    if (tested.stopReason === "budget_exhausted") return { proof, isBudgetExhausted: true, headSha: null };
    if (tested.stopReason !== "finished") break; // no tests of its own: the loop goes on with the coder's
    proof = await step.run(`prove-tests-fail-on-base-${session}`, async () => proveTesterTests({ context: await load(), testerStartSha, attempt }));
    if (proof.passingOnBase.length === 0) break;
  }
  const headSha = proof?.testerFiles.length ? await step.run("read-head-after-tester", readHead) : null;
  return { proof, isBudgetExhausted: false, headSha };
}

function describeTestsPassingOnBase(proof: FailOnBaseProof): string {
  return [
    "These tests do not test the change: they pass on the base commit, without the task's implementation.",
    ...proof.passingOnBase.map((name) => `- ${name}`),
    "",
    "Change them so each one fails without the change and passes with it, or remove them. Your test files applied to the base commit were:",
    ...proof.testerFiles.map((file) => `- ${file}`),
  ].join("\n");
}
