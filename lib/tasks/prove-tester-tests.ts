// Fail-to-pass, first half: the tester's new or changed test files, applied to the task's
// base commit, must fail there. A test that passes on the base does not test the change.
import { runGit } from "../git/run-git";
import { proveFailOnBase, runTests, saveTestBaseline, buildCommandKey, type FailOnBaseProof } from "../testing";
import type { TaskContext } from "./load-work-context";
import { attemptCheckoutKey, openCommitWorkspace, openSessionWorkspace, resolveBaseSha, taskBaseCheckoutKey, taskCheckoutKey } from "./open-session-workspace";

/** Test files by the usual conventions of JS/TS, Python, Go, Ruby, Java and Rust's tests/ dir. */
const testFilePattern = /(^|\/)(tests?|__tests__|spec)\/|[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.(py|go)$|_spec\.rb$|Tests?\.(java|kt|cs)$/;

export function isTestFile(file: string): boolean {
  return testFilePattern.test(file);
}

export async function proveTesterTests(options: {
  context: TaskContext;
  testerStartSha: string;
  /** The best-of-N attempt the tester worked on; default: the task's own branch. */
  attempt?: { number: number; branch: string };
}): Promise<FailOnBaseProof> {
  const { context, attempt } = options;
  const task = context.task;
  const branch = attempt?.branch ?? task.branch!;
  const workspaceKey = attempt ? attemptCheckoutKey(task.id, attempt.number) : taskCheckoutKey(task.id);
  const opened = await openSessionWorkspace({ repository: context.repository, workspaceKey, branch });
  const { stdout } = await runGit({ cwd: opened.workspace, args: ["diff", "--name-only", "--no-renames", "--diff-filter=AM", "-z", options.testerStartSha, "HEAD"] });
  const testerFiles = stdout.split("\0").filter((file) => file && isTestFile(file));
  const baseSha = await resolveBaseSha({ workspace: opened.workspace, baseBranch: task.baseBranch, defaultBranch: opened.defaultBranch });

  const base = await openCommitWorkspace({ repository: context.repository, workspaceKey: taskBaseCheckoutKey(task.id), branch, sha: baseSha });
  const onBase = await runTests({ workspace: base.workspace, ...context.commands });
  await saveTestBaseline({ repositoryId: context.repository.id, baseSha, commandKey: buildCommandKey(context.commands) }, onBase);
  if (testerFiles.length) {
    await runGit({ cwd: base.workspace, args: ["checkout", opened.headSha, "--", ...testerFiles] });
  }
  const withTesterTests = testerFiles.length ? await runTests({ workspace: base.workspace, ...context.commands }) : onBase;
  return proveFailOnBase({ base: onBase, withTesterTests, testerFiles });
}
