// Waits for GitHub CI on one pushed commit. The state is read first (a suite that finished
// before the wait began is seen), then the function waits for a check_suite.completed event
// for this head sha only (never the branch: an older push's suite must not count), re-reading
// after each event or every few minutes (several suites, or an event that slipped in between
// the read and the wait), until a deadline.
import type { GetStepTools } from "inngest";
import { ciTimedOutLine, readTaskCi, type TaskCi } from "../lib/tasks/read-task-ci";
import type { inngest } from "@/lib/inngest";
import { githubCheckSuiteCompleted } from "@/lib/events";

type Step = GetStepTools<typeof inngest>;

const recheckMinutes = 5;
export const ciTimeoutMinutes = 30;

export async function waitForCi(step: Step, options: { runId: string; taskId: string; sha: string; stepSuffix: string }): Promise<TaskCi> {
  if (!/^[0-9a-f]{40}$/.test(options.sha)) throw new Error(`Not a commit sha: ${options.sha}`);
  const rounds = ciTimeoutMinutes / recheckMinutes;
  for (let round = 1; round <= rounds + 1; round++) {
    const ci = await step.run(`read-ci-${options.stepSuffix}-${round}`, () => readTaskCi(options));
    if (ci.state !== "pending" || round > rounds) return ci.state === "pending" ? { state: "timed_out", failure: "", line: ciTimedOutLine(options.sha, ciTimeoutMinutes) } : ci;
    await step.waitForEvent(`wait-ci-${options.stepSuffix}-${round}`, {
      event: githubCheckSuiteCompleted,
      timeout: `${recheckMinutes}m`,
      if: `async.data.headSha == '${options.sha}'`,
    });
  }
  throw new Error("unreachable");
}
