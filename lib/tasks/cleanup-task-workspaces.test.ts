// Workspaces are cleaned: each task's clones go when it ends, leftovers of tasks that ended
// without cleaning up go too, busy tasks keep theirs, and mirrors stay. Over 100 runs the data
// dir does not grow.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { listWorkspaces, prepareWorkspace, getMirrorPath, getWorkspacePath, type RepositoryRef } from "@/lib/git/workspace";
import { cleanupTaskWorkspaces } from "./task-branch";

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
