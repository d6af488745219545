// GitHub CI in the loop, keyed on the pushed head sha: a fake CI reacts to each git push on
// the local GitHub (check runs with output and annotations, check_suite.completed events).
// Real time (timeScale 1): the CI wait's re-check timer must not fire during the test.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { FakePush } from "@/test/fake-github";
import { greetingTask, plannerSubmits, requestRun, sessionStarts, startFactoryWorld, startFlowEngine, taskMessageOf, writes, type FactoryWorld } from "./factory-flow-fixtures";

const { harness, finishedRunSpec } = await startFlowEngine({ runTimeoutMs: 240_000, timeScale: 1 });

let world: FactoryWorld | undefined;
afterEach(async () => world?.close());

const writesHello = (content: string, summary: string) => writes({ "hello.txt": content }, summary);

describe("CI in the loop", () => {
  it("reads CI that finished before the wait, feeds a failing check's output to the fixer, and ignores an older sha's suite", async () => {
    world = await startFactoryWorld({
      testCommand: null,
      hasCi: true,
      roles: {
        planner: plannerSubmits([greetingTask]),
        coder: writesHello("hello \n", "Added hello.txt"),
        // Approves every time: only CI can hold the task back.
        reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Looks fine.", comments: [] } }] }),
        fixer: writesHello("hello\n", "Removed the trailing space"),
      },
    });
    const { github, repository } = world;
    const fullName = `acme/${repository.name}`;
    const suiteCompleted = (push: FakePush, conclusion: string) =>
      harness.send({ name: "github/check_suite.completed", data: { deliveryId: `d-${push.sha}-${conclusion}`, repository: fullName, headSha: push.sha, headBranch: push.branch, conclusion } });

    const pushes: FakePush[] = [];
    github.onPush((push) => {
      if (!push.branch.startsWith("factory/")) return;
      pushes.push(push);
      if (pushes.length === 1) {
        // The first push's CI fails at once: its suite completes before run-task waits for it.
        github.addCheckRun("acme", repository.name, {
          headSha: push.sha, name: "lint", status: "completed", conclusion: "failure",
          output: { title: "Lint failed: 1 error", summary: "hello.txt has trailing whitespace." },
          annotations: [{ path: "hello.txt", start_line: 1, annotation_level: "failure", message: "Trailing space after 'hello'", title: "no-trailing-spaces" }],
        });
        void suiteCompleted(push, "failure");
      } else {
        github.addCheckRun("acme", repository.name, { headSha: push.sha, name: "lint", status: "in_progress", conclusion: null });
      }
    });

    const runId = await requestRun(world, harness.send, { maxIterations: 2 });
    const runTask = await harness.until(() => harness.runs.find((run) => run.functionId === "run-task" && run.event.data.runId === runId), 60_000, "run-task");

    // Iteration 2 waits for CI on the fixer's push; an older sha's suite (even a green one) must not count.
    await harness.until(() => runTask.waitingFor.includes("github/check_suite.completed") && pushes.length === 2, 120_000, "the CI wait of iteration 2");
    await suiteCompleted(pushes[0], "success");
    const checkRun = github.state.checkRuns.find((run) => run.headSha === pushes[1].sha)!;
    Object.assign(checkRun, { status: "completed", conclusion: "success" });
    await suiteCompleted(pushes[1], "success");

    expect(await finishedRunSpec(runId, 120_000)).toMatchObject({ status: "completed", output: { status: "succeeded" } });

    // Iteration 1 read CI once and found the early failure; iteration 2 read before waiting and after its own sha's suite only.
    const ciReads = Object.keys(runTask.stepAttempts).filter((id) => id.startsWith("read-ci-"));
    expect(ciReads).toEqual(["read-ci-iter-1-1", "read-ci-iter-2-1", "read-ci-iter-2-2"]);

    const [fixerStart] = sessionStarts(world.llm.requests, "fixer");
    const fixerTask = taskMessageOf(fixerStart);
    expect(fixerTask).toContain(`CI on ${pushes[0].sha.slice(0, 7)}: failed (lint: failure)`);
    expect(fixerTask).toContain('Check "lint": failure — Lint failed: 1 error');
    expect(fixerTask).toContain("hello.txt has trailing whitespace.");
    expect(fixerTask).toContain("- hello.txt:1 [failure]: no-trailing-spaces: Trailing space after 'hello'");

    const iterations = await db.taskIteration.findMany({ where: { runId }, orderBy: { iteration: "asc" } });
    expect(iterations.map((row) => [row.iteration, row.headSha, row.ciConclusion, row.reviewVerdict])).toEqual([
      [1, pushes[0].sha, "failure", "approve"],
      [2, pushes[1].sha, "success", "approve"],
    ]);
    const status = github.state.issueComments.find((comment) => comment.body?.includes("dark-factory:status"));
    expect(status?.body).toContain(`CI on ${pushes[1].sha.slice(0, 7)}: passed (lint: success)`);
  }, 240_000);
});
