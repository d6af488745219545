import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordRunEvent } from "./run-events";
import { parseRunEvent } from "./run-event-types";

describe("the run event catalogue", () => {
  it("reads a stored event through its type's schema, and refuses unknown types and mismatched payloads", () => {
    const opened = parseRunEvent({ type: "pull_request.opened", payload: { taskKey: "api", number: 3, url: "https://x/pull/3", branch: "factory/api" } });
    expect(opened).toEqual({ type: "pull_request.opened", payload: { taskKey: "api", number: 3, url: "https://x/pull/3", branch: "factory/api" } });
    expect(parseRunEvent({ type: "pull_request.opened", payload: { taskKey: "api", number: "3" } })).toBeNull();
    expect(parseRunEvent({ type: "made.up", payload: {} })).toBeNull();
  });

  it("validates a payload on write: an invalid one names the field and stores nothing", async () => {
    const run = await db.run.create({ data: { title: "Events", spec: "s", budgetUsd: 1 } });
    // A caller the compiler cannot check (e.g. JSON from elsewhere): the schema still refuses it.
    const bad = { runId: run.id, type: "task.started" as const, payload: { taskKey: "api", branch: 42 } as never };
    await expect(recordRunEvent(bad)).rejects.toThrow(AppError);
    await expect(recordRunEvent(bad)).rejects.toThrow(/task\.started has an invalid payload at branch/);
    expect(await db.runEvent.count({ where: { runId: run.id } })).toBe(0);
    const event = await recordRunEvent({ runId: run.id, type: "task.started", payload: { taskKey: "api", branch: "factory/api", baseBranch: "main", dependsOn: [] } });
    expect(event).toMatchObject({ seq: 1, type: "task.started", payload: { taskKey: "api", branch: "factory/api" } });
  });
});
