// The model-prices API (Settings) through its real route handler, against real Postgres.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { findModelPrice, seedModelPrices } from "@/lib/llm/model-price";
import { secretCanaries } from "@/test/secret-canaries";

const route = await import("@/app/api/model-prices/route");

const auth = { authorization: `Bearer ${secretCanaries.FACTORY_API_TOKEN}` };
const glm = { provider: "openai-compatible", model: "glm-5.2" };
const edited = { ...glm, input: 2.5, output: 7, cacheRead: 0.3, cacheWrite: 0 };

function useEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}

const get = (headers: Record<string, string> = auth) => route.GET(new Request("http://localhost/api/model-prices", { headers }));
const put = (body: unknown, headers: Record<string, string> = auth) =>
  route.PUT(new Request("http://localhost/api/model-prices", { method: "PUT", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));
const del = (query: Record<string, string>, headers: Record<string, string> = auth) =>
  route.DELETE(new Request(`http://localhost/api/model-prices?${new URLSearchParams(query)}`, { method: "DELETE", headers }));
const findRow = (key: { provider: string; model: string }) => db.modelPrice.findUnique({ where: { provider_model: key } });

beforeEach(async () => {
  useEnv({ FACTORY_MODEL: "openai-compatible:glm-5.2", FACTORY_MODEL_REVIEWER: undefined, FACTORY_MODEL_PRICES: undefined });
  await db.modelPrice.deleteMany();
  await seedModelPrices();
});

describe("GET /api/model-prices", () => {
  it("lists every price sorted by provider and model, as numbers, with each role's model and price", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const { prices, roles } = await response.json();
    expect(prices).toHaveLength(await db.modelPrice.count());
    const refs = prices.map((p: { provider: string; model: string }) => [p.provider, p.model]);
    expect(refs).toEqual([...refs].sort(([pa, ma], [pb, mb]) => pa.localeCompare(pb) || (ma < mb ? -1 : ma > mb ? 1 : 0)));
    expect(prices.find((p: { ref: string }) => p.ref === "openai-compatible:glm-5.2")).toMatchObject({ input: 1.4, output: 4, cacheRead: 0.26, cacheWrite: 0, source: "seed", isSetByEnv: false });
    expect(prices.find((p: { ref: string }) => p.ref === "anthropic:claude-opus-4-6")).toMatchObject({ input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 });
    expect(roles.map((r: { role: string }) => r.role)).toEqual(["planner", "coder", "tester", "reviewer", "fixer"]);
    for (const role of roles) {
      expect(role).toMatchObject({ model: "openai-compatible:glm-5.2", configuredBy: "FACTORY_MODEL", price: { input: 1.4, output: 4, source: "seed" }, problem: null });
    }
  });

  it("says when a role has no model, or a model without a price", async () => {
    useEnv({ FACTORY_MODEL: undefined, FACTORY_MODEL_REVIEWER: "openai-compatible:my-private-model" });
    const { roles } = await (await get()).json();
    const byRole = Object.fromEntries(roles.map((r: { role: string }) => [r.role, r]));
    expect(byRole.coder).toMatchObject({ model: null, price: null });
    expect(byRole.coder.problem).toMatch(/set FACTORY_MODEL \(or FACTORY_MODEL_CODER\)/);
    expect(byRole.reviewer).toMatchObject({ model: "openai-compatible:my-private-model", configuredBy: "FACTORY_MODEL_REVIEWER", price: null });
    expect(byRole.reviewer.problem).toMatch(/No price .* runs will be refused/);
  });

  it("refuses a missing or wrong token with 401", async () => {
    expect((await get({})).status).toBe(401);
    expect((await get({ authorization: "Bearer nope-nope-nope-nope" })).status).toBe(401);
  });
});

describe("PUT /api/model-prices", () => {
  it("stores the price as a user edit that seeding keeps and cost uses", async () => {
    const response = await put(edited);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ...edited, ref: "openai-compatible:glm-5.2", source: "user" });
    await seedModelPrices();
    expect(await findRow(glm)).toMatchObject({ source: "user" });
    expect(await findModelPrice("openai-compatible:glm-5.2")).toMatchObject({ input: 2.5, output: 7, cacheRead: 0.3, cacheWrite: 0, source: "user" });
    const { roles } = await (await get()).json();
    expect(roles[0].price).toMatchObject({ input: 2.5, output: 7, source: "user" });
  });

  it("adds a price for a model no list knows, which makes it usable", async () => {
    const local = { provider: "openai-compatible", model: "qwen3:32b", input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    expect((await put(local)).status).toBe(200);
    expect(await findModelPrice("openai-compatible:qwen3:32b")).toMatchObject({ input: 0, source: "user" });
  });

  it.each([
    ["a negative price", { ...edited, input: -1 }, /input/],
    ["a price over 1000 $/MTok", { ...edited, output: 1000.01 }, /output/],
    ["a price that is not a number", { ...edited, cacheRead: "0.3" }, /cacheRead/],
    ["a missing cache price", { ...edited, cacheWrite: undefined }, /cacheWrite/],
    ["an unknown provider", { ...edited, provider: "mistral" }, /provider/],
    ["an empty model", { ...edited, model: " " }, /model/],
    ["a model with whitespace", { ...edited, model: "glm 5.2" }, /model/],
    ["a model over 200 characters", { ...edited, model: "m".repeat(201) }, /model/],
  ])("refuses %s with 400 naming the field, writing nothing", async (_name, body, field) => {
    const before = await db.modelPrice.findMany({ orderBy: { id: "asc" } });
    const response = await put(body);
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.error.details.fields.map((f: { field: string }) => f.field).join(",")).toMatch(field);
    expect(await db.modelPrice.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("refuses with 409 a model FACTORY_MODEL_PRICES prices, since env prices win", async () => {
    useEnv({ FACTORY_MODEL_PRICES: JSON.stringify({ "openai-compatible:glm-5.2": { input: 1, output: 2 } }) });
    await seedModelPrices();
    const response = await put(edited);
    expect(response.status).toBe(409);
    expect((await response.json()).error.message).toMatch(/FACTORY_MODEL_PRICES sets the price of "openai-compatible:glm-5.2"/);
    expect(await findRow(glm)).toMatchObject({ source: "env" });
  });

  it("refuses without auth (401), writing nothing", async () => {
    expect((await put(edited, {})).status).toBe(401);
    expect(await findRow(glm)).toMatchObject({ source: "seed" });
  });
});

describe("DELETE /api/model-prices", () => {
  it("resets an edited list-priced model to its list price at once", async () => {
    await put(edited);
    const response = await del(glm);
    expect(response.status).toBe(200);
    expect((await response.json()).restored).toMatchObject({ input: 1.4, output: 4, cacheRead: 0.26, source: "seed" });
    expect(await findModelPrice("openai-compatible:glm-5.2")).toMatchObject({ input: 1.4, source: "seed" });
  });

  it("deletes a model no list knows, leaving it unpriced", async () => {
    await put({ ...edited, model: "my-private-model" });
    const response = await del({ provider: "openai-compatible", model: "my-private-model" });
    expect(response.status).toBe(200);
    expect((await response.json()).restored).toBeNull();
    expect(await findRow({ provider: "openai-compatible", model: "my-private-model" })).toBeNull();
  });

  it("answers 404 for an unknown row, 400 for a bad key and 401 without auth", async () => {
    const unknown = await del({ provider: "openai", model: "never-priced" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toMatch(/openai:never-priced/);
    const bad = await del({ provider: "mistral", model: "large" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields[0].field).toBe("provider");
    await put(edited);
    expect((await del(glm, {})).status).toBe(401);
    expect(await findRow(glm)).toMatchObject({ source: "user" });
  });
});
