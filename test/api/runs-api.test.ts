// The runs REST API through its real route handlers, against real Postgres and a stand-in
// Inngest Event API.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { secretCanaries } from "@/test/secret-canaries";
import { startApiEngine } from "./api-fixtures";

const engine = await startApiEngine();
const runsRoute = await import("@/app/api/runs/route");
const runRoute = await import("@/app/api/runs/[id]/route");
const cancelRoute = await import("@/app/api/runs/[id]/cancel/route");
const loginRoute = await import("@/app/api/auth/login/route");

const token = secretCanaries.FACTORY_API_TOKEN;
const auth = { authorization: `Bearer ${token}` };
const validRun = { repo: "acme/widgets", title: "Add a health check", spec: "# Spec\nAdd GET /health.", budgetUsd: 5, maxIterations: 3 };

function post(body: unknown, headers: Record<string, string> = auth): Request {
  return new Request("http://localhost/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const countRuns = () => db.run.count();

describe("POST /api/runs", () => {
  it("creates a queued run, records an event and sends factory/run.requested", async () => {
    const response = await runsRoute.POST(post(validRun));
    expect(response.status).toBe(201);
    const { id, url } = await response.json();
    expect(url).toMatch(new RegExp(`/runs/${id}$`));
    const run = await db.run.findUniqueOrThrow({ where: { id }, include: { repository: true, events: true } });
    expect(run.status).toBe("queued");
    expect(run.budgetUsd.toNumber()).toBe(5);
    expect(`${run.repository?.owner}/${run.repository?.name}`).toBe("acme/widgets");
    expect(run.events.map((e) => [e.seq, e.type])).toEqual([[1, "run.created"]]);
    expect(run.models).toMatchObject({ planner: "openai-compatible:glm-5.2", coder: "openai-compatible:glm-5.2" });
    expect(engine.events).toContainEqual(expect.objectContaining({ name: "factory/run.requested", data: { runId: id, repository: "acme/widgets" } }));
  });

  it.each([
    ["a missing field", { ...validRun, title: undefined }, 400, /title/],
    ["a budget of 0", { ...validRun, budgetUsd: 0 }, 400, /budgetUsd/],
    ["a budget over 10000", { ...validRun, budgetUsd: 10000.01 }, 400, /budgetUsd/],
    ["a repo not in owner/name form", { ...validRun, repo: "widgets" }, 400, /repo/],
    ["a fractional iteration limit", { ...validRun, maxIterations: 1.5 }, 400, /maxIterations/],
  ])("refuses %s with 400 naming the field, writing nothing", async (_name, body, status, field) => {
    const before = await countRuns();
    const response = await runsRoute.POST(post(body));
    expect(response.status).toBe(status);
    const json = await response.json();
    expect(json.error.message).toMatch(field);
    expect(json.error.details.fields.map((f: { field: string }) => f.field).join(",")).toMatch(field);
    expect(await countRuns()).toBe(before);
  });

  it("stores per-role model overrides, and refuses a model with no known price before writing anything", async () => {
    const withOverride = await runsRoute.POST(post({ ...validRun, models: { reviewer: "anthropic:claude-haiku-4-5" } }));
    expect(withOverride.status).toBe(201);
    const { id } = await withOverride.json();
    const run = await db.run.findUniqueOrThrow({ where: { id } });
    expect(run.models).toMatchObject({ reviewer: "anthropic:claude-haiku-4-5", coder: "openai-compatible:glm-5.2" });

    const before = await countRuns();
    const priceless = await runsRoute.POST(post({ ...validRun, models: { coder: "openai-compatible:my-private-model" } }));
    expect(priceless.status).toBe(422);
    const body = await priceless.json();
    expect(body.error.message).toMatch(/coder: No price is known for model "openai-compatible:my-private-model".*FACTORY_MODEL_PRICES/);
    expect(await countRuns()).toBe(before);
    const malformed = await runsRoute.POST(post({ ...validRun, models: { coder: "gpt" } }));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/models\.coder/);
  });

  it("refuses malformed JSON (400) and a body over 256 KB (413)", async () => {
    const before = await countRuns();
    const malformed = await runsRoute.POST(post("{not json"));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/Malformed JSON/);
    const huge = await runsRoute.POST(post({ ...validRun, spec: "x".repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    expect(await countRuns()).toBe(before);
  });

  it("refuses a missing or wrong token with 401", async () => {
    const before = await countRuns();
    expect((await runsRoute.POST(post(validRun, {}))).status).toBe(401);
    const wrong = await runsRoute.POST(post(validRun, { authorization: "Bearer nope-nope-nope-nope" }));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(token);
    expect(await countRuns()).toBe(before);
  });
});

describe("GET /api/runs and /api/runs/:id", () => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await runsRoute.POST(post({ ...validRun, title: `Paged ${i}` }));
  });

  it("pages newest first with a cursor", async () => {
    const first = await (await runsRoute.GET(new Request("http://localhost/api/runs?limit=2", { headers: auth }))).json();
    expect(first.runs).toHaveLength(2);
    expect(first.nextCursor).toBe(first.runs[1].id);
    const second = await (await runsRoute.GET(new Request(`http://localhost/api/runs?limit=2&cursor=${first.nextCursor}`, { headers: auth }))).json();
    const firstIds = first.runs.map((r: { id: string }) => r.id);
    expect(second.runs.every((r: { id: string }) => !firstIds.includes(r.id))).toBe(true);
    expect(Date.parse(first.runs[1].createdAt)).toBeGreaterThanOrEqual(Date.parse(second.runs[0].createdAt));
  });

  it("refuses a page size over 100", async () => {
    const response = await runsRoute.GET(new Request("http://localhost/api/runs?limit=1000", { headers: auth }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/limit/);
  });

  it("returns a run's status, budget, spend, tokens, tasks and event count; 404 for an unknown run", async () => {
    const { runs } = await (await runsRoute.GET(new Request("http://localhost/api/runs?limit=1", { headers: auth }))).json();
    const detail = await (await runRoute.GET(new Request("http://localhost", { headers: auth }), params(runs[0].id))).json();
    expect(detail).toMatchObject({ id: runs[0].id, status: "queued", budgetUsd: 5, spentUsd: 0, tasks: [], eventsCount: 1, tokens: { input: 0, output: 0 }, pullRequests: { opened: 0, merged: 0 } });
    const missing = await runRoute.GET(new Request("http://localhost", { headers: auth }), params("nope"));
    expect(missing.status).toBe(404);
  });
});

describe("POST /api/runs/:id/cancel", () => {
  it("cancels an active run once, then answers 409", async () => {
    const { id } = await (await runsRoute.POST(post(validRun))).json();
    const task = await db.task.create({ data: { runId: id, key: "t", title: "T", description: "d", status: "running" } });
    await db.agentSession.create({ data: { runId: id, taskId: task.id, role: "coder", model: "openai-compatible:glm-5.2" } });
    const request = () => new Request("http://localhost", { method: "POST", headers: auth });
    const response = await cancelRoute.POST(request(), params(id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id, status: "cancelled" });
    expect(engine.events.filter((e) => e.data?.runId === id).map((e) => e.name)).toEqual(
      expect.arrayContaining(["factory/run.cancelled", "factory/run.finished"]),
    );
    expect((await cancelRoute.POST(request(), params(id))).status).toBe(409);
    // Nothing of a cancelled run stays running.
    expect((await db.agentSession.findFirstOrThrow({ where: { runId: id } })).status).toBe("stopped");
    expect((await db.task.findFirstOrThrow({ where: { runId: id } })).status).toBe("cancelled");
  });
});

describe("POST /api/auth/login", () => {
  const login = (token: unknown) =>
    loginRoute.POST(new Request("http://localhost/api/auth/login", {
      method: "POST",
      // As a browser on the app's own page sends it (FACTORY_PUBLIC_URL defaults to http://localhost:3000).
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ token }),
    }));

  it("sets an httpOnly session cookie that authenticates API calls", async () => {
    const response = await login(token);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toContain(token);
    const list = await runsRoute.GET(new Request("http://localhost/api/runs", { headers: { cookie: cookie.split(";")[0] } }));
    expect(list.status).toBe(200);
  });

  it("refuses a wrong token without revealing anything about the real one", async () => {
    const response = await login(token.slice(0, -1));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toContain(token.slice(0, 6));
    expect(text).not.toMatch(/length|characters|\d+ chars/i);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("does not accept a forged cookie", async () => {
    const forged = `factory_session=${Math.floor(Date.now() / 1000) + 3600}.forged`;
    expect((await runsRoute.GET(new Request("http://localhost/api/runs", { headers: { cookie: forged } }))).status).toBe(401);
  });
});
