import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { notYetBuiltReason, runSpec } from "./run-spec";

async function createQueuedRun() {
  const repository = await db.repository.upsert({
    where: { owner_name: { owner: "acme", name: "widgets" } },
    create: { owner: "acme", name: "widgets" },
    update: {},
  });
  return db.run.create({ data: { title: "T", spec: "S", budgetUsd: 2, repositoryId: repository.id } });
}

function execute(runId: string, sent: unknown[]) {
  const engine = new InngestTestEngine({ function: runSpec });
  return engine.execute({
    events: [{ name: "factory/run.requested", data: { runId, repository: "acme/widgets" } }],
    steps: [{ id: "send-run-finished", handler: () => void sent.push("run.finished") }],
  });
}

describe("run-spec", () => {
  it("marks the run started, says planning is not built yet, and ends it failed with that reason", async () => {
    const run = await createQueuedRun();
    const sent: unknown[] = [];
    const { result } = await execute(run.id, sent);
    expect(result).toEqual({ runId: run.id, status: "failed" });
    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { events: { orderBy: { seq: "asc" } } } });
    expect(stored.startedAt).not.toBeNull();
    expect(stored.finishedAt).not.toBeNull();
    expect(stored.status).toBe("failed");
    expect(stored.error).toBe(notYetBuiltReason);
    expect(stored.events.map((e) => e.type)).toEqual(["run.started", "run.capability_missing", "run.failed"]);
    expect(sent).toEqual(["run.finished"]);
  });

  it("does nothing for a run that is no longer queued (a re-delivered event, or a cancelled run)", async () => {
    const run = await createQueuedRun();
    await db.run.update({ where: { id: run.id }, data: { status: "cancelled" } });
    const sent: unknown[] = [];
    const { result } = await execute(run.id, sent);
    expect(result).toEqual({ runId: run.id, skipped: "run is not queued" });
    expect(await db.runEvent.count({ where: { runId: run.id } })).toBe(0);
    expect(sent).toEqual([]);
  });
});
