// "No test command" must read as "no tests", never as pending or green: in the PR's status
// comment (fake GitHub) and in the Slack run report (real database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { secretCanaries } from "@/test/secret-canaries";
import { seedFinishedRun } from "@/test/seed-finished-run";
import { db } from "@/lib/db";
import { createGitHubClient, type GitHubClient } from "@/lib/github/github-client";
import { upsertStatusComment } from "@/lib/github/upsert-status-comment";
import { buildRunReport } from "@/lib/slack/build-run-report";

let gh: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  gh = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN });
  client = createGitHubClient({ baseUrl: gh.apiUrl, auth: { token: secretCanaries.GITHUB_TOKEN }, waitScale: 0.01, isWritePacingEnabled: false });
});

afterAll(() => gh.close());

/** A repository, a run and an open PR on the fake GitHub, with the given commands. */
async function openPullRequest(name: string, commands: { repositoryTest: string | null; runTest: string | null }) {
  await gh.createRepository({ owner: "acme", name, files: { "README.md": "# x\n" } });
  await gh.commitFiles("acme", name, { branch: "factory/run-t1", files: { "hello.txt": "hello\n" }, message: "Add hello" });
  const { data } = await client.rest.pulls.create({ owner: "acme", repo: name, head: "factory/run-t1", base: "main", title: "Add hello", draft: true });
  const repository = await db.repository.create({ data: { owner: "acme", name, testCommand: commands.repositoryTest } });
  const run = await db.run.create({ data: { repositoryId: repository.id, title: "t", spec: "s", budgetUsd: 5, testCommand: commands.runTest } });
  const pullRequest = await db.pullRequest.create({
    data: { repositoryId: repository.id, runId: run.id, number: data.number, url: data.html_url, headBranch: "factory/run-t1", baseBranch: "main" },
  });
  const post = () =>
    upsertStatusComment({
      owner: "acme",
      repo: name,
      client,
      number: data.number,
      pullRequestId: pullRequest.id,
      status: { iteration: 1, maxIterations: 3, testResult: "not_run", verdict: "approve", costUsd: 0.12 },
    });
  const commentBody = () => gh.state.issueComments.filter((comment) => comment.issueNumber === data.number && comment.repoKey.endsWith(name)).at(-1)?.body ?? "";
  return { post, commentBody };
}

describe("the PR status comment", () => {
  it("says plainly that no tests ran when the repository has no test command", async () => {
    const pr = await openPullRequest("no-tests", { repositoryTest: null, runTest: null });
    await pr.post();
    expect(pr.commentBody()).toContain("| Tests | ⚪ No tests ran: the repository has no test command |");
    expect(pr.commentBody()).not.toMatch(/passing|not run yet/);
  });

  it("names the run when its own override turned tests off", async () => {
    const pr = await openPullRequest("run-off", { repositoryTest: "npm test", runTest: "" });
    await pr.post();
    expect(pr.commentBody()).toContain("| Tests | ⚪ No tests ran: this run set no test command |");
  });

  it("keeps \"not run yet\" when there is a test command that has not run", async () => {
    const pr = await openPullRequest("pending", { repositoryTest: null, runTest: "npm test" });
    await pr.post();
    expect(pr.commentBody()).toContain("| Tests | ⏳ not run yet |");
  });
});

describe("the Slack run report", () => {
  const texts = async (runId: string) => {
    const message = await buildRunReport({ runId });
    const fields = message!.blocks.flatMap((block) => (block.type === "section" && block.fields ? block.fields.map((f) => f.text) : []));
    return { fields, text: message!.text };
  };

  it("says no tests ran when neither the run nor the repository has a test command", async () => {
    const { run } = await seedFinishedRun({ status: "succeeded", tasks: [{ key: "a", status: "succeeded" }] });
    const { fields, text } = await texts(run.id);
    expect(fields).toContain("*Tests*\nNo tests ran: the repository has no test command");
    expect(text).toContain("No tests ran: the repository has no test command.");
  });

  it("says nothing about missing tests when the repository has a test command, and names the run's override", async () => {
    const { run, repository } = await seedFinishedRun({ status: "succeeded" });
    await db.repository.update({ where: { id: repository.id }, data: { testCommand: "npm test" } });
    expect((await texts(run.id)).fields.some((field) => field.startsWith("*Tests*"))).toBe(false);
    await db.run.update({ where: { id: run.id }, data: { testCommand: "" } });
    expect((await texts(run.id)).fields).toContain("*Tests*\nNo tests ran: this run set no test command");
  });
});
