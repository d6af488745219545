// When the Inngest Event API cannot be reached, POST /api/runs answers 503 naming the URL,
// and the run is kept, marked failed with that reason: never left queued silently.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { seedModelPrices } from "@/lib/llm/model-price";
import { startFakeInngestEventApi } from "@/test/fake-inngest-event-api";
import { secretCanaries } from "@/test/secret-canaries";

const engine = await startFakeInngestEventApi();
await engine.close(); // nothing listens on this port any more
process.env.INNGEST_BASE_URL = engine.url;
process.env.FACTORY_MODEL = "openai-compatible:glm-5.2";
resetEnvCache();
await seedModelPrices();
const runsRoute = await import("@/app/api/runs/route");

describe("POST /api/runs with the workflow engine down", () => {
  it("answers 503 naming the URL and keeps the run as failed", async () => {
    const response = await runsRoute.POST(
      new Request("http://localhost/api/runs", {
        method: "POST",
        headers: { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` },
        body: JSON.stringify({ repo: "acme/widgets", title: "T", spec: "S", budgetUsd: 1, maxIterations: 1 }),
      }),
    );
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error.message).toContain(engine.url);
    const run = await db.run.findUniqueOrThrow({ where: { id: body.error.details.runId }, include: { events: { orderBy: { seq: "asc" } } } });
    expect(run.status).toBe("failed");
    expect(run.error).toContain(engine.url);
    expect(run.events.map((e) => e.type)).toEqual(["run.created", "run.failed"]);
    expect(JSON.stringify(body) + run.error).not.toContain(secretCanaries.INNGEST_EVENT_KEY);
  });
});
