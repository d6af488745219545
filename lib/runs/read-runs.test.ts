import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listRuns, listRunsQuery } from "./read-runs";

async function seedRun(repository: { owner: string; name: string }, title: string, status: "running" | "succeeded" | "failed", createdAt: Date) {
  const repo = await db.repository.upsert({ where: { owner_name: repository }, create: repository, update: {} });
  return db.run.create({ data: { repositoryId: repo.id, title, spec: "s", status, budgetUsd: 1, createdAt } });
}

describe("listRuns", () => {
  it("filters by status, repository and title words, and pages through the filtered list with cursors", async () => {
    const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
    const widgets = { owner: "acme", name: "widgets-list" };
    const gadgets = { owner: "acme", name: "gadgets-list" };
    const a = await seedRun(widgets, "Add health endpoint", "succeeded", t(1));
    const b = await seedRun(widgets, "Fix HEALTH check flake", "failed", t(2));
    const c = await seedRun(widgets, "Add health metrics", "succeeded", t(3));
    await seedRun(gadgets, "Add health endpoint", "succeeded", t(4));
    await seedRun(widgets, "Rename module", "running", t(5));

    const ids = async (query: Record<string, string>) => (await listRuns(listRunsQuery.parse(query))).runs.map((run) => run.id);
    expect(await ids({ repo: "acme/widgets-list", q: "health" })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ repo: "ACME/Widgets-List", q: "health", status: "succeeded" })).toEqual([c.id, a.id]);
    expect(await ids({ repo: "acme/widgets-list", status: "failed,succeeded", q: "add endpoint" })).toEqual([a.id]);

    const first = await listRuns(listRunsQuery.parse({ repo: "acme/widgets-list", q: "health", limit: "2" }));
    expect(first.runs.map((run) => run.id)).toEqual([c.id, b.id]);
    const second = await listRuns(listRunsQuery.parse({ repo: "acme/widgets-list", q: "health", limit: "2", cursor: first.nextCursor! }));
    expect(second.runs.map((run) => run.id)).toEqual([a.id]);
    expect(second.nextCursor).toBeNull();
  });

  it("names the bad field", () => {
    const status = listRunsQuery.safeParse({ status: "running,bogus" });
    expect(status.success).toBe(false);
    expect(status.error?.issues[0].path).toEqual(["status", 1]);
    const repo = listRunsQuery.safeParse({ repo: "no-slash" });
    expect(repo.error?.issues[0]).toMatchObject({ path: ["repo"], message: "must be owner/name" });
    expect(listRunsQuery.safeParse({ q: "x".repeat(201) }).success).toBe(false);
  });
});
