import { NonRetriableError } from "inngest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, beforeAll } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { listWorkspaces, prepareWorkspace, getMirrorPath, getWorkspacePath, type RepositoryRef } from "@/lib/git/workspace";
import { inngest } from "@/lib/inngest";
import { createInngestHarness, type InngestHarness } from "@/test/inngest-harness";
import { branchLeaseTtlMs, holdBranchLease, keepBranchLease, releaseBranchLease as releaseLeaseSteps, runSessionSteps } from "@/workflows/task-steps";
import { acquireBranchLease, branchLeaseKey, readBranchLeaseHolder, releaseBranchLease, cleanupTaskWorkspaces } from "./task-branch";

const minute = 60_000;
let keyCounter = 0;
const freshKey = () => branchLeaseKey({ owner: "acme", name: "widgets" }, `factory/run-${++keyCounter}-${Date.now()}`);

/** Moves a lease's expiry into the past: what a crashed holder looks like once its TTL has gone by. */
const expire = (key: string) => db.branchLease.update({ where: { key }, data: { expiresAt: new Date(Date.now() - minute) } });

describe("branch lease", () => {
  it("keys a branch by repository and branch name", () => {
    expect(branchLeaseKey({ owner: "acme", name: "widgets" }, "factory/r1-api")).toBe("acme/widgets:factory/r1-api");
  });

  it("lets exactly one of many concurrent acquirers take a free branch", async () => {
    const key = freshKey();
    const holders = Array.from({ length: 12 }, (_, i) => `follow-up:${i}`);
    const results = await Promise.all(holders.map((holder) => acquireBranchLease({ key, holder, ttlMs: minute })));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = holders[results.indexOf(true)];
    expect(await readBranchLeaseHolder(key)).toBe(winner);
  });

  it("refuses a second holder while the lease is live, and hands the branch over once it is released", async () => {
    const key = freshKey();
    expect(await acquireBranchLease({ key, holder: "task:a", ttlMs: minute })).toBe(true);
    expect(await acquireBranchLease({ key, holder: "follow-up:b", ttlMs: minute })).toBe(false);
    // Another holder's release never frees the branch.
    expect(await releaseBranchLease({ key, holder: "follow-up:b" })).toBe(false);
    expect(await readBranchLeaseHolder(key)).toBe("task:a");
    expect(await releaseBranchLease({ key, holder: "task:a" })).toBe(true);
    expect(await acquireBranchLease({ key, holder: "follow-up:b", ttlMs: minute })).toBe(true);
    expect(await readBranchLeaseHolder(key)).toBe("follow-up:b");
  });

  it("renews for the same holder: a later expiry, the same acquiredAt", async () => {
    const key = freshKey();
    expect(await acquireBranchLease({ key, holder: "task:a", ttlMs: minute })).toBe(true);
    const first = await db.branchLease.findUniqueOrThrow({ where: { key } });
    expect(await acquireBranchLease({ key, holder: "task:a", ttlMs: 10 * minute })).toBe(true);
    const renewed = await db.branchLease.findUniqueOrThrow({ where: { key } });
    expect(renewed.acquiredAt).toEqual(first.acquiredAt);
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(first.expiresAt.getTime() + 8 * minute);
  });

  it("frees the branch of a holder that crashed once its lease expires, and only one waiter takes it", async () => {
    const key = freshKey();
    expect(await acquireBranchLease({ key, holder: "task:crashed", ttlMs: minute })).toBe(true);
    await expire(key);
    expect(await readBranchLeaseHolder(key)).toBeNull();
    const results = await Promise.all(["follow-up:1", "follow-up:2", "follow-up:3"].map((holder) => acquireBranchLease({ key, holder, ttlMs: minute })));
    expect(results.filter(Boolean)).toHaveLength(1);
    // The crashed holder's late release does not free the new holder's lease.
    expect(await releaseBranchLease({ key, holder: "task:crashed" })).toBe(false);
    expect(await readBranchLeaseHolder(key)).not.toBeNull();
  });

  it("keeps a long holder's lease alive at each step, and stops a holder whose lease another writer took", async () => {
    const key = freshKey();
    expect(await acquireBranchLease({ key, holder: "task:long", ttlMs: minute })).toBe(true);
    await keepBranchLease({ key, holder: "task:long" });
    const renewed = await db.branchLease.findUniqueOrThrow({ where: { key } });
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + branchLeaseTtlMs - minute);
    expect(await acquireBranchLease({ key, holder: "follow-up:waiting", ttlMs: minute })).toBe(false);

    // Its lease ran out (a step longer than the TTL) and a follow-up took the branch.
    await expire(key);
    expect(await acquireBranchLease({ key, holder: "follow-up:waiting", ttlMs: minute })).toBe(true);
    const lost = keepBranchLease({ key, holder: "task:long" });
    await expect(lost).rejects.toBeInstanceOf(NonRetriableError);
    await expect(lost).rejects.toThrow(`Lost the lease of branch ${key} to another writer`);
    expect(await readBranchLeaseHolder(key)).toBe("follow-up:waiting");
  });

  it("rejects a non-positive TTL", async () => {
    await expect(acquireBranchLease({ key: freshKey(), holder: "x", ttlMs: 0 })).rejects.toThrow(/ttlMs/);
  });
});

describe("branch lease steps", () => {
  let harness: InngestHarness | undefined;
  afterEach(async () => harness?.close());

  const waitingForRelease = () => harness!.runs.filter((run) => run.status === "running" && run.waitingFor.includes("factory/branch.released")).length;

  /** A writer that holds the branch, logs when it is inside, and (first one only) stays inside until `stayUntil` holds. */
  function createWriter(id: string, key: string, log: string[], options: { stayUntil?: () => boolean; isQueuedBehind?: (order: number) => boolean } = {}) {
    const state = { inside: 0, maxInside: 0 };
    const fn = inngest.createFunction({ id, retries: 0, triggers: [{ event: `test/${id}` }] }, async ({ event, step }) => {
      const { holder, order } = event.data as { holder: string; order: number };
      const isQueuedBehind = options.isQueuedBehind;
      await holdBranchLease(step, { key, holder, stepPrefix: "lease", ...(isQueuedBehind && { isQueuedBehind: async () => isQueuedBehind(order) }) });
      await step.run("write", async () => {
        state.inside += 1;
        state.maxInside = Math.max(state.maxInside, state.inside);
        log.push(`enter ${holder}`);
        if (options.stayUntil) await harness!.until(options.stayUntil, 5_000, "the other writers to queue");
        state.inside -= 1;
        log.push(`exit ${holder}`);
      });
      await releaseLeaseSteps(step, { key, holder, stepPrefix: "lease" });
    });
    return { fn, state };
  }

  it("keeps a second writer off the branch until the first releases it, then wakes it: no overlap, none dropped", async () => {
    const key = freshKey();
    const log: string[] = [];
    // Whoever gets in first stays until the other has tried, failed and is waiting for the release.
    const writer = createWriter("lease-writer", key, log, {
      stayUntil: () => waitingForRelease() >= 1 || log.some((line) => line.startsWith("exit")),
    });
    harness = await createInngestHarness({ functions: [writer.fn] });
    await harness.send(["task:t1", "follow-up:f1"].map((holder, order) => ({ name: "test/lease-writer", data: { holder, order } })));
    await harness.until(() => harness!.runs.filter((run) => run.functionId === "lease-writer" && run.status === "completed").length === 2, 10_000, "both writers");
    expect(writer.state.maxInside).toBe(1);
    expect(log).toHaveLength(4);
    expect(log[0].replace("enter", "exit")).toBe(log[1]);
    expect(log[2].replace("enter", "exit")).toBe(log[3]);
    expect(harness.events.filter((event) => event.name === "factory/branch.released")).toHaveLength(2);
    expect(await readBranchLeaseHolder(key)).toBeNull();
  });

  it("lets writers queued behind an earlier one go in order, each woken by a release", async () => {
    const key = freshKey();
    const log: string[] = [];
    const exits = () => log.filter((line) => line.startsWith("exit")).length;
    const writer = createWriter("ordered-writer", key, log, { isQueuedBehind: (order) => exits() < order, stayUntil: () => waitingForRelease() >= 2 || exits() > 0 });
    harness = await createInngestHarness({ functions: [writer.fn] });
    // The last to arrive is sent first: order, not arrival at the engine, decides.
    await harness.send([2, 1, 0].map((order) => ({ name: "test/ordered-writer", data: { holder: `follow-up:${order}`, order } })));
    await harness.until(() => harness!.runs.filter((run) => run.functionId === "ordered-writer" && run.status === "completed").length === 3, 10_000, "three writers");
    expect(writer.state.maxInside).toBe(1);
    expect(log).toEqual(["enter follow-up:0", "exit follow-up:0", "enter follow-up:1", "exit follow-up:1", "enter follow-up:2", "exit follow-up:2"]);
    expect(harness.events.filter((event) => event.name === "factory/branch.released").map((event) => event.data.holder)).toEqual(["follow-up:0", "follow-up:1", "follow-up:2"]);
  });

  it("renews the lease before every session chunk, so a lost lease stops the session before it writes", async () => {
    const key = freshKey();
    expect(await acquireBranchLease({ key, holder: "follow-up:other", ttlMs: minute })).toBe(true);
    const fn = inngest.createFunction({ id: "leased-session", retries: 2, triggers: [{ event: "test/leased-session" }] }, async ({ step }) =>
      runSessionSteps(step, { sessionId: "no-such-session", stepPrefix: "fix", lease: { key, holder: "task:lost" } }),
    );
    harness = await createInngestHarness({ functions: [fn] });
    await harness.send([{ name: "test/leased-session", data: {} }]);
    await harness.until(() => harness!.runs.some((run) => run.functionId === "leased-session" && run.status === "failed"), 10_000, "the session to stop");
    const run = harness.runs.find((candidate) => candidate.functionId === "leased-session")!;
    // Not the missing session's error: the lease check came first, and was not retried.
    expect(run.error?.message).toMatch(/Lost the lease of branch .* to another writer/);
    expect(run.stepAttempts["fix-chunk-1"]).toBe(1);
  });
});

// Workspaces are cleaned: each task's clones go when it ends, leftovers of tasks that ended
// without cleaning up go too, busy tasks keep theirs, and mirrors stay. Over 100 runs the data
// dir does not grow.
let repo: RepositoryRef;
let dataDir: string;

beforeAll(() => {
  const root = mkdtempSync(path.join(os.tmpdir(), "cleanup-workspaces-"));
  const seed = path.join(root, "seed");
  mkdirSync(seed);
  // Enough content that a leaked clone would show in the disk use.
  writeFileSync(path.join(seed, "data.txt"), "x".repeat(200_000));
  execFileSync("git", ["init", "--quiet", "-b", "main", seed]);
  execFileSync("git", ["-C", seed, "add", "-A"]);
  execFileSync("git", ["-C", seed, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "seed"]);
  const remote = path.join(root, "remote.git");
  execFileSync("git", ["clone", "--quiet", "--bare", seed, remote]);
  repo = { owner: "acme", name: "cleanup", remoteUrl: `file://${remote}`, defaultBranch: "main" };
  dataDir = path.join(root, "data");
  process.env.FACTORY_DATA_DIR = dataDir;
  resetEnvCache();
});

const diskUseKb = (dir: string) => Number(execFileSync("du", ["-sk", dir], { encoding: "utf8" }).split("\t")[0]);

/**
 * A run with one task, a coder session, and the task's clones on disk: real clones, or (for
 * the 100-run loop, where only the disk use matters) directories of the same size.
 */
async function startTask(index: number, clones: "git" | "files" = "git") {
  const run = await db.run.create({ data: { title: `run ${index}`, spec: "s", budgetUsd: 1, status: "running" } });
  const task = await db.task.create({ data: { runId: run.id, key: "t", title: "t", description: "d", status: "running" } });
  const session = await db.agentSession.create({ data: { runId: run.id, taskId: task.id, role: "coder", model: "openai-compatible:m" } });
  const branch = `factory/${run.id}-t`;
  for (const name of [session.id, `checkout-${task.id}`]) {
    if (clones === "git") await prepareWorkspace({ repo, sessionId: name, branch });
    else {
      mkdirSync(getWorkspacePath(name), { recursive: true });
      writeFileSync(path.join(getWorkspacePath(name), "data.txt"), "x".repeat(200_000));
    }
  }
  return { run, task, session };
}

describe("cleanupTaskWorkspaces", () => {
  it("removes the ending task's clones and ended tasks' leftovers, keeps busy tasks' clones and the mirror", async () => {
    const busy = await startTask(1);
    const cancelled = await startTask(2);
    await db.task.update({ where: { id: cancelled.task.id }, data: { status: "cancelled" } });
    const reviewed = await startTask(3);
    await db.task.update({ where: { id: reviewed.task.id }, data: { status: "succeeded" } });
    const pull = await db.pullRequest.create({ data: { repositoryId: (await db.repository.create({ data: { owner: "acme", name: `cleanup-${Date.now()}` } })).id, runId: reviewed.run.id, taskId: reviewed.task.id, number: 1, url: "u", headBranch: "b", baseBranch: "main" } });
    await db.followUp.create({ data: { runId: reviewed.run.id, taskId: reviewed.task.id, pullRequestId: pull.id, sourceKey: `review-${Date.now()}`, author: "octocat", status: "running", budgetUsd: 1 } });
    const ending = await startTask(4);

    const { removed } = await cleanupTaskWorkspaces({ taskId: ending.task.id });
    expect(new Set(removed)).toEqual(new Set([ending.session.id, `checkout-${ending.task.id}`, cancelled.session.id, `checkout-${cancelled.task.id}`]));
    expect(new Set(listWorkspaces())).toEqual(new Set([busy.session.id, `checkout-${busy.task.id}`, reviewed.session.id, `checkout-${reviewed.task.id}`]));
    expect(existsSync(getMirrorPath(repo))).toBe(true);

    for (const { task } of [busy, reviewed]) await db.task.update({ where: { id: task.id }, data: { status: "failed" } });
    await db.followUp.updateMany({ where: { taskId: reviewed.task.id }, data: { status: "succeeded" } });
    await cleanupTaskWorkspaces({ taskId: busy.task.id });
    expect(listWorkspaces()).toEqual([]);
  });

  it("keeps disk use bounded over 100 runs", async () => {
    const first = await startTask(0);
    await cleanupTaskWorkspaces({ taskId: first.task.id });
    const baselineKb = diskUseKb(dataDir);
    let mostWorkspaces = 0;
    for (let index = 1; index <= 100; index++) {
      const { task } = await startTask(index, "files");
      mostWorkspaces = Math.max(mostWorkspaces, listWorkspaces().length);
      await db.task.update({ where: { id: task.id }, data: { status: "succeeded" } });
      await cleanupTaskWorkspaces({ taskId: task.id });
    }
    expect(mostWorkspaces).toBe(2);
    expect(listWorkspaces()).toEqual([]);
    // Only the mirror remains: a leaked clone would add ~200 KB each, 20 MB over 100 runs.
    expect(diskUseKb(dataDir)).toBeLessThan(baselineKb + 1024);
  }, 120_000);
});
