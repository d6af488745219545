// A factory PR's whole life against the local GitHub: branch, draft PR, review with inline
// comments, sticky status comment, CI state, ready for review, merge. Every step runs twice
// and the second run must change nothing on "GitHub" or in the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { startFakeGitHub, type FakeGitHub } from "@/test/fake-github";
import { findCanaries, secretCanaries } from "@/test/secret-canaries";
import { buildBranchName } from "@/lib/git/branches";
import { createBranch } from "./branches";
import { createGitHubClient, type GitHubClient } from "./github-client";
import { enableAutoMerge, markPullRequestReady, updatePullRequestBody, openTaskPullRequest } from "./pull-requests";
import { listReviewComments, postReview } from "./reviews";
import { readCiStatus, readRepository } from "./repository";
import { recordPullRequestClosed } from "./handle-webhook";
import { upsertStatusComment } from "./upsert-status-comment";

const owner = "acme";
const repo = "widgets";
const greet = Array.from({ length: 12 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join("\n") + "\n";
let gh: FakeGitHub;
let client: GitHubClient;
let ref: { owner: string; repo: string; client: GitHubClient };
let runId: string;
let taskId: string;
let branch: string;
let number: number;
let pullRequestId: string;

beforeAll(async () => {
  gh = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN });
  process.env.FACTORY_PUBLIC_URL = "https://factory.example.com";
  resetEnvCache();
  client = createGitHubClient({ baseUrl: gh.apiUrl, auth: { token: secretCanaries.GITHUB_TOKEN }, waitScale: 0.01, isWritePacingEnabled: false });
  ref = { owner, repo, client };
  await gh.createRepository({ owner, name: repo, files: { "README.md": "# widgets\n", "src/greet.ts": greet } });
  const repository = await db.repository.create({ data: { owner, name: repo } });
  const run = await db.run.create({ data: { title: "Greeting", spec: "s", repositoryId: repository.id, budgetUsd: 5, spentUsd: 0.9 } });
  runId = run.id;
  const task = await db.task.create({
    data: { runId, key: "t1", title: "Say hello", description: "Add a hello function.", acceptanceCriteria: ["hello() returns 'hi'", "tests cover it"], costUsd: 0.4321 },
  });
  taskId = task.id;
  branch = buildBranchName({ runId, taskKey: "t1" });
});

afterAll(async () => {
  await gh?.close();
  delete process.env.FACTORY_PUBLIC_URL;
  resetEnvCache();
});

describe("pull request lifecycle", () => {
  it("reads the repository: default branch, clone URL on the local git server, permissions", async () => {
    expect(await readRepository(ref)).toMatchObject({
      fullName: "acme/widgets", defaultBranch: "main", cloneUrl: gh.gitUrl(owner, repo), canPush: true, permissions: { push: true },
    });
  });

  it("creates the factory branch from the default branch once", async () => {
    const main = await gh.branchSha(owner, repo, "main");
    expect(await createBranch({ ...ref, branch })).toEqual({ branch, sha: main, isCreated: true });
    expect(await createBranch({ ...ref, branch })).toEqual({ branch, sha: main, isCreated: false });
    expect(gh.countRequests("POST", "/repos/acme/widgets/git/refs")).toBe(1);
    await expect(createBranch({ ...ref, branch: "main" })).rejects.toThrow(/only creates factory\/\* branches/);
  });

  it("opens one draft PR with task, criteria, run link and cost, and records it once", async () => {
    // What the coder's push (lib/git) would do.
    await gh.commitFiles(owner, repo, { branch, message: "hello", files: { "src/greet.ts": greet.replace("line3 = 3", "line3 = 33"), "src/hello.ts": "export const hello = () => 'hi';\n" } });
    const first = await openTaskPullRequest({ taskId, client });
    const again = await openTaskPullRequest({ taskId, client });
    expect(first.isCreated).toBe(true);
    expect(again.isCreated).toBe(false);
    expect(again.pullRequest.id).toBe(first.pullRequest.id);
    number = first.pullRequest.number;
    pullRequestId = first.pullRequest.id;
    expect(gh.state.pulls).toHaveLength(1);
    const pull = gh.state.pulls[0];
    expect(pull).toMatchObject({ isDraft: true, head: branch, base: "main" });
    expect(pull.body).toContain("Add a hello function.");
    expect(pull.body).toContain("- [ ] hello() returns 'hi'");
    expect(pull.body).toContain(`https://factory.example.com/runs/${runId}`);
    expect(pull.body).toContain("$0.4321");
    expect(await db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ branch });
    expect(await db.runEvent.count({ where: { runId, type: "pull_request.opened" } })).toBe(1);
  });

  it("updates the PR body only when it changed", async () => {
    expect(await updatePullRequestBody({ ...ref, number, body: "new body" })).toEqual({ isChanged: true });
    expect(await updatePullRequestBody({ ...ref, number, body: "new body" })).toEqual({ isChanged: false });
    expect(gh.countRequests("PATCH", `/repos/acme/widgets/pulls/${number}`)).toBe(1);
  });

  it("posts one review: inline comments on diff lines, the rest in the body", async () => {
    const input = {
      ...ref, number, key: `${runId}-t1-iter1`, verdict: "request_changes" as const, summary: "Nearly there.",
      comments: [
        { path: "src/greet.ts", line: 3, body: "Why 33?" },
        { path: "src/hello.ts", line: 1, body: "Add a type." },
        { path: "src/greet.ts", line: 12, body: "Outside the diff." },
        { path: "README.md", line: 1, body: "Not in the PR at all." },
      ],
    };
    const posted = await postReview(input);
    expect(posted.isCreated).toBe(true);
    expect(posted.inlineComments.map((c) => c.body)).toEqual(["Why 33?", "Add a type."]);
    expect(posted.bodyComments.map((c) => c.body)).toEqual(["Outside the diff.", "Not in the PR at all."]);
    const again = await postReview(input);
    expect(again).toMatchObject({ id: posted.id, isCreated: false });
    expect(gh.state.reviews).toHaveLength(1);
    const review = gh.state.reviews[0];
    // GitHub refuses "request changes" on your own PR; the verdict then travels in a comment review,
    // chosen up front: no request was answered 422.
    expect(review.state).toBe("COMMENTED");
    expect(gh.state.requests.filter((r) => r.status === 422)).toEqual([]);
    expect(review.body).toContain("Request changes");
    expect(review.body).toContain("`src/greet.ts:12`: Outside the diff.");
    expect(review.body).toContain("`README.md:1`: Not in the PR at all.");
    expect(review.comments.map((c) => [c.path, c.line])).toEqual([["src/greet.ts", 3], ["src/hello.ts", 1]]);

    const comments = await listReviewComments({ ...ref, number, reviewId: posted.id });
    expect(comments).toEqual([
      expect.objectContaining({ path: "src/greet.ts", line: 3, body: expect.stringMatching(/^Why 33\?\n\n<!-- dark-factory:review:/), author: gh.login }),
      expect.objectContaining({ path: "src/hello.ts", line: 1, body: expect.stringContaining("Add a type.") }),
    ]);
  });

  it("keeps one sticky status comment, updated in place", async () => {
    const status = { iteration: 1, maxIterations: 3, testResult: "failed" as const, verdict: "request_changes" as const, costUsd: 0.43 };
    const created = await upsertStatusComment({ ...ref, number, status, pullRequestId });
    expect(created).toMatchObject({ isCreated: true, isChanged: true });
    expect(await upsertStatusComment({ ...ref, number, status, pullRequestId })).toEqual({ id: created.id, isCreated: false, isChanged: false });
    const updated = await upsertStatusComment({ ...ref, number, status: { ...status, iteration: 2, testResult: "passed", verdict: "approve", costUsd: 0.61 }, pullRequestId });
    expect(updated).toEqual({ id: created.id, isCreated: false, isChanged: true });
    // Even with the saved id lost, the hidden marker finds the comment again.
    await db.pullRequest.update({ where: { id: pullRequestId }, data: { statusCommentId: null } });
    expect((await upsertStatusComment({ ...ref, number, status: { ...status, iteration: 3 }, pullRequestId })).isCreated).toBe(false);
    expect(gh.state.issueComments).toHaveLength(1);
    expect(gh.state.issueComments[0].body).toContain("| Iteration | 3 of 3 |");
    expect((await db.pullRequest.findUniqueOrThrow({ where: { id: pullRequestId } })).statusCommentId).toBe(BigInt(created.id));
  });

  it("reads CI state from check runs and commit statuses", async () => {
    const sha = (await gh.branchSha(owner, repo, branch))!;
    expect(await readCiStatus({ ...ref, sha })).toMatchObject({ state: "pending", total: 0 });
    gh.addCheckRun(owner, repo, { headSha: sha, name: "build", status: "in_progress", conclusion: null });
    gh.addCommitStatus(owner, repo, { sha, state: "success", context: "ci/lint" });
    expect((await readCiStatus({ ...ref, sha })).state).toBe("pending");
    gh.state.checkRuns[0].status = "completed";
    gh.state.checkRuns[0].conclusion = "success";
    expect(await readCiStatus({ ...ref, sha })).toMatchObject({ state: "success", total: 2 });
    gh.addCheckRun(owner, repo, { headSha: sha, name: "test", status: "completed", conclusion: "failure" });
    expect(await readCiStatus({ ...ref, sha })).toMatchObject({ state: "failure", checkRuns: expect.arrayContaining([expect.objectContaining({ name: "test", status: "completed", conclusion: "failure" })]) });
  });

  it("marks the PR ready for review once", async () => {
    expect(await markPullRequestReady({ ...ref, number })).toEqual({ isChanged: true });
    expect(await markPullRequestReady({ ...ref, number })).toEqual({ isChanged: false });
    expect(gh.state.pulls[0].isDraft).toBe(false);
    expect(gh.countRequests("POST", "/graphql")).toBe(1);
  });

  it("auto-merge is off by default, and enabling it twice asks GitHub once", async () => {
    expect(await enableAutoMerge({ ...ref, number })).toEqual({ isEnabled: false, isChanged: false });
    expect(gh.state.pulls[0].autoMerge).toBeNull();
    expect(await enableAutoMerge({ ...ref, number, isEnabled: true })).toEqual({ isEnabled: true, isChanged: true });
    expect(await enableAutoMerge({ ...ref, number, isEnabled: true })).toEqual({ isEnabled: true, isChanged: false });
    expect(gh.state.pulls[0].autoMerge).toMatchObject({ mergeMethod: "squash" });
  });

  it("records a merge with the task's cost, once", async () => {
    const mergeSha = await gh.mergePullRequest(owner, repo, number);
    expect(await gh.branchSha(owner, repo, "main")).toBe(mergeSha);
    const first = await recordPullRequestClosed({ owner, repo, number, isMerged: true, mergeCommitSha: mergeSha });
    const second = await recordPullRequestClosed({ owner, repo, number, isMerged: true, mergeCommitSha: mergeSha });
    expect(first).toMatchObject({ isChanged: true, costAtMergeUsd: "0.4321" });
    expect(second?.isChanged).toBe(false);
    expect(await db.pullRequest.findUniqueOrThrow({ where: { id: pullRequestId } })).toMatchObject({ state: "merged" });
    const events = await db.runEvent.findMany({ where: { runId, type: "pull_request.merged" } });
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ number, costUsd: "0.4321", mergeCommitSha: mergeSha });
  });

  it("leaves no secret in any RunEvent", async () => {
    expect(findCanaries(JSON.stringify(await db.runEvent.findMany()))).toEqual([]);
  });
});

describe("reviews where GitHub allows the verdict", () => {
  it("posts APPROVE as a real approval when someone else authored the PR, with no 422 on the way", async () => {
    const other = await startFakeGitHub({ token: secretCanaries.GITHUB_TOKEN });
    try {
      await other.createRepository({ owner, name: repo, files: { "a.txt": "a\n" } });
      await other.commitFiles(owner, repo, { branch: "factory/r-t", message: "b", files: { "a.txt": "b\n" } });
      const human = createGitHubClient({ baseUrl: other.apiUrl, auth: { token: other.addUser("octo-human") }, isWritePacingEnabled: false });
      const { data: pr } = await human.rest.pulls.create({ owner, repo, head: "factory/r-t", base: "main", title: "t" });
      const c = createGitHubClient({ baseUrl: other.apiUrl, auth: { token: secretCanaries.GITHUB_TOKEN }, isWritePacingEnabled: false });
      const posted = await postReview({ owner, repo, client: c, number: pr.number, key: "k", verdict: "approve", summary: "Good.", comments: [{ path: "a.txt", line: 1, body: "nice" }] });
      expect(posted).toMatchObject({ state: "APPROVED", isCreated: true });
      expect(other.state.reviews[0].comments).toHaveLength(1);
      expect(other.state.requests.filter((r) => r.status === 422)).toEqual([]);
      expect(other.countRequests("POST", `/repos/${owner}/${repo}/pulls/${pr.number}/reviews`)).toBe(1);
    } finally {
      await other.close();
    }
  });
});
