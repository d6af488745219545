// GitHub CI for the task's pushed head sha, reduced to what the loop acts on.
import { describeCiFailure, readCiStatus } from "../github/read-ci-status";
import { loadRunContextOrThrow } from "./load-work-context";

export type TaskCi = {
  state: "pending" | "success" | "failure" | "timed_out" | "none";
  /** What a fixer reads when CI failed: each failed check's title, summary and annotations. */
  failure: string;
  /** One line for the status comment and the reviewer. */
  line: string;
};

export async function readTaskCi(options: { runId: string; taskId: string; sha: string }): Promise<TaskCi> {
  const { repository } = await loadRunContextOrThrow(options);
  const status = await readCiStatus({ owner: repository.owner, repo: repository.name, sha: options.sha });
  const names = status.checkRuns.map((run) => `${run.name}: ${run.conclusion ?? run.status}`).concat(status.statuses.map((s) => `${s.context}: ${s.state}`));
  const line = `CI on ${options.sha.slice(0, 7)}: ${status.state === "success" ? "passed" : status.state === "failure" ? "failed" : "pending"}${names.length ? ` (${names.join(", ")})` : ""}`;
  return { state: status.state, failure: status.state === "failure" ? describeCiFailure(status) : "", line };
}

export const noCiLine = "CI: none configured for this repository (no .github/workflows), so only the factory's own test run counts.";
export const ciTimedOutLine = (sha: string, minutes: number) => `CI on ${sha.slice(0, 7)}: no result within ${minutes} minutes; going on without it.`;
