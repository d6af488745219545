// A human review after the run ended, on the real engine: the signed webhook over HTTP starts
// address-review, which runs a fixer on the PR's branch, pushes, tests, re-reviews and replies
// once with the cost, within the follow-up's own budget.
import { createRequire } from "node:module";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import { signWebhook } from "@/test/fake-github/sign-webhook";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";
import type { RecordedRequest } from "@/test/scripted-llm-server";
import { startEngineWorld, type EngineRoleScript, type EngineWorld } from "./engine-world";
import { waitFor } from "./real-engine";

type Example = Record<string, any>;
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Example[] }[];
const reviewExample = () => structuredClone(examples.find((e) => e.name === "pull_request_review")!.examples.find((x) => x.action === "submitted")!);
const firstMessage = (request: RecordedRequest) => String(request.json.messages[1]?.content ?? "");

const roles: Record<string, EngineRoleScript> = {
  planner: () => ({
    toolCalls: [{ name: "submit_plan", args: { tasks: [{ key: "greeting", title: "Greeting file", description: "Add hello.txt with hello", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] }] } }],
  }),
  coder: (_request, turn) =>
    turn === 1 ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello\n" } }] } : { toolCalls: [{ name: "finish", args: { summary: "Added hello.txt" } }] },
  fixer: (_request, turn) =>
    turn === 1
      ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "hello, world\n" } }] }
      : { toolCalls: [{ name: "finish", args: { summary: "Changed the greeting to hello, world." } }] },
  reviewer: () => ({ toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Correct and minimal.", comments: [] } }] }),
};

let world: EngineWorld | undefined;
afterEach(async () => world?.close());

describe.skipIf(!inject("inngestBinary"))("real engine (dev): a human review after the run ended", () => {
  it("answers the review on the PR's branch with its own budget and one reply", async () => {
    world = await startEngineWorld({ postgresServerUrl: inject("databaseUrl"), kind: "dev", roles, testCommand: "grep -q '^hello' hello.txt" });
    const runId = await world.createRun();
    expect((await world.waitForRunEnd(runId)).status, world.logs()).toBe("succeeded");
    const task = await db.task.findFirstOrThrow({ where: { runId }, include: { pullRequest: true } });
    const branch = task.branch!;
    const pullNumber = task.pullRequest!.number;
    const repositoryName = world.repository.name;
    const shaBefore = await world.github.branchSha("acme", repositoryName, branch);

    const aliceToken = world.github.addUser("alice");
    world.github.setPermission("acme", repositoryName, "alice", "write");
    const octokit = new Octokit({ auth: aliceToken, baseUrl: world.github.apiUrl });
    const { data: review } = await octokit.rest.pulls.createReview({
      owner: "acme", repo: repositoryName, pull_number: pullNumber, event: "REQUEST_CHANGES", body: "Please greet the whole world.",
    });

    const payload = reviewExample();
    Object.assign(payload.repository, { full_name: `acme/${repositoryName}`, name: repositoryName });
    payload.repository.owner.login = "acme";
    payload.pull_request.number = pullNumber;
    payload.pull_request.head.ref = branch;
    payload.pull_request.head.sha = shaBefore;
    Object.assign(payload.review, { id: review.id, state: "changes_requested", body: review.body, author_association: "COLLABORATOR" });
    payload.review.user.login = "alice";
    const signed = signWebhook(`${world.app.url}/api/github/webhook`, { event: "pull_request_review", payload }, secretCanaries.GITHUB_WEBHOOK_SECRET);
    const delivered = await fetch(signed.url, { method: "POST", headers: signed.headers, body: signed.body });
    expect(delivered.status).toBe(202);

    const followUp = await waitFor(`the follow-up to finish (${world.logs()})`, async () => {
      const found = await db.followUp.findUnique({ where: { sourceKey: `review-${review.id}` } });
      return found && !["queued", "running"].includes(found.status) ? found : undefined;
    }, { timeoutMs: 180_000, intervalMs: 500 });
    expect(followUp, world.github.state.issueComments.map((comment) => comment.body).join("\n---\n")).toMatchObject({ status: "succeeded", author: "alice", testOutcome: "passed", reviewVerdict: "approve" });
    expect(followUp.reservedUsd.toNumber()).toBe(0);
    expect(followUp.spentUsd.toNumber()).toBeGreaterThan(0);

    expect(await world.github.branchSha("acme", repositoryName, branch)).not.toBe(shaBefore);
    const replies = world.github.state.issueComments.filter((comment) => comment.body.includes("dark-factory:reply"));
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toContain("@alice");
    const fixerRequests = world.llm.requests.filter((request) => firstMessage(request).includes('source="review by @alice"'));
    expect(fixerRequests.length).toBeGreaterThan(0);
    // The follow-up's row is final at its reply; the function still cleans up and frees the branch after that.
    const engine = world.engine;
    const addressReviewRuns = await waitFor("address-review to end at the engine", async () => {
      const runs = (await engine.functionRuns()).filter((run) => run.functionSlug === "dark-factory-address-review");
      return runs.length > 0 && runs.every((run) => run.status !== "RUNNING") ? runs : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(addressReviewRuns.map((run) => run.status)).toEqual(["COMPLETED"]);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("succeeded");
    expect(findCanaries(JSON.stringify(world.github.state.issueComments) + world.llm.requests.map((r) => r.body).join("\n"))).toEqual([]);
  });
});
