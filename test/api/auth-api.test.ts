// Sessions, CSRF and input edges through the real route handlers against real Postgres: the
// session cookie names an AuthSession row, logout revokes it, wrong logins are throttled in the
// database, cookie-authenticated mutations must come from the app's own pages as JSON, and a
// bad Last-Event-ID or repository name is a 400 naming the field. (Over real HTTP, with a
// browser, in e2e/security.spec.ts.)
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { maxFailuresPerClient } from "@/lib/auth/login-throttle";
import { toSafeNextPath } from "@/lib/auth/safe-next-path";
import { secretCanaries } from "@/test/secret-canaries";
import { startApiEngine } from "./api-fixtures";

process.env.FACTORY_PUBLIC_URL = "https://factory.example.com";
await startApiEngine();
const loginRoute = await import("@/app/api/auth/login/route");
const logoutRoute = await import("@/app/api/auth/logout/route");
const sessionRoute = await import("@/app/api/auth/session/route");
const runsRoute = await import("@/app/api/runs/route");
const pricesRoute = await import("@/app/api/model-prices/route");
const eventsRoute = await import("@/app/api/runs/[id]/events/route");

const token = secretCanaries.FACTORY_API_TOKEN;
const appOrigin = "https://factory.example.com";
const validRun = { repo: "acme/widgets", title: "Add a health check", spec: "# Spec", budgetUsd: 5, maxIterations: 3 };

afterAll(() => {
  delete process.env.FACTORY_PUBLIC_URL;
  resetEnvCache();
});

beforeEach(async () => {
  await db.loginThrottle.deleteMany();
});

function login(candidate: string, headers: Record<string, string> = {}) {
  return loginRoute.POST(
    new Request(`${appOrigin}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appOrigin, "x-forwarded-for": "203.0.113.7", ...headers },
      body: JSON.stringify({ token: candidate }),
    }),
  );
}

async function logIn(): Promise<string> {
  const response = await login(token);
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0];
}

const listRuns = (cookie: string) => runsRoute.GET(new Request(`${appOrigin}/api/runs`, { headers: { cookie } }));

function postRun(headers: Record<string, string>, body = JSON.stringify({ ...validRun, budgetUsd: 9999 })) {
  return runsRoute.POST(new Request(`${appOrigin}/api/runs`, { method: "POST", headers, body }));
}

describe("sessions", () => {
  it("the cookie is SameSite=Strict, HttpOnly and Secure on https, and names a stored session, not the token", async () => {
    const response = await login(token);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^factory_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).not.toContain(token);
    const secret = cookie.split(";")[0].split("=")[1];
    const rows = await db.authSession.findMany();
    expect(rows.length).toBeGreaterThan(0);
    // Only an HMAC of the secret is stored: a leaked table is no cookie.
    expect(rows.map((r) => r.id)).not.toContain(secret);
  });

  it("logout revokes the session: the old cookie is refused afterwards", async () => {
    const cookie = await logIn();
    expect((await listRuns(cookie)).status).toBe(200);
    const logout = await logoutRoute.POST(new Request(`${appOrigin}/api/auth/logout`, { method: "POST", headers: { cookie, origin: appOrigin, "content-type": "application/json" }, body: "{}" }));
    expect(logout.status).toBe(200);
    expect(logout.headers.get("set-cookie")).toMatch(/^factory_session=; .*Max-Age=0/);
    expect((await listRuns(cookie)).status).toBe(401);
    expect((await sessionRoute.GET(new Request(`${appOrigin}/api/auth/session`, { headers: { cookie } }))).status).toBe(401);
  });

  it("an expired session is refused", async () => {
    const cookie = await logIn();
    await db.authSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await listRuns(cookie)).status).toBe(401);
  });

  it.each([
    ["not percent-decodable", "factory_session=%E0%A4%A"],
    ["the old expiry.signature format", `factory_session=${Math.floor(Date.now() / 1000) + 3600}.forged`],
    ["an unknown secret of the right shape", `factory_session=${"A".repeat(43)}`],
    ["empty, beside an undecodable cookie", "factory_session=; other=%%%"],
  ])("a malformed or unknown cookie (%s) is a 401, not a 500", async (_name, cookie) => {
    const response = await listRuns(cookie);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
  });

  it("wrong logins are throttled per client with 429 and Retry-After, in the database; other clients still log in", async () => {
    for (let i = 0; i < maxFailuresPerClient; i++) expect((await login("wrong-token-guess-000000")).status).toBe(401);
    const blocked = await login(token);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await blocked.json()).error.message).toMatch(/Too many wrong logins/);
    expect(blocked.headers.get("set-cookie")).toBeNull();
    // Kept in Postgres, so every app instance sees the same count.
    expect(await db.loginThrottle.findUnique({ where: { key: "login:client:203.0.113.7" } })).toMatchObject({ failures: maxFailuresPerClient });
    expect((await login(token, { "x-forwarded-for": "198.51.100.9" })).status).toBe(200);
    // The window passes: the client may try again.
    await db.loginThrottle.updateMany({ data: { windowStartedAt: new Date(Date.now() - 16 * 60_000) } });
    expect((await login(token)).status).toBe(200);
  });

  it.each([
    ["%2F%09%2Fevil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["/%0a/evil.example", "/"],
    ["/runs/abc?tab=cost#events", "/runs/abc?tab=cost#events"],
    ["/login?next=/", "/"],
  ])("after login, next=%s goes to %s", (raw, expected) => {
    expect(toSafeNextPath(decodeURIComponent(raw))).toBe(expected);
  });
});

describe("cross-site request forgery", () => {
  it("a cookie mutation from another origin, or as text/plain, is refused and writes nothing", async () => {
    const cookie = await logIn();
    const before = await db.run.count();
    const json = { cookie, "content-type": "application/json" };
    const refused = [
      await postRun({ ...json, origin: "http://localhost:4000" }),
      await postRun({ ...json, origin: appOrigin, "sec-fetch-site": "same-site" }),
      await postRun({ ...json }), // no Origin, no Sec-Fetch-Site: not this app's page
      await postRun({ cookie, origin: appOrigin, "content-type": "text/plain" }),
      await pricesRoute.PUT(new Request(`${appOrigin}/api/model-prices`, {
        method: "PUT", headers: { cookie, origin: "http://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ provider: "openai-compatible", model: "glm-5.2", input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }),
      })),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 415, 403]);
    expect((await refused[0].json()).error.message).toMatch(/Origin http:\/\/localhost:4000 is not https:\/\/factory\.example\.com/);
    expect(await db.run.count()).toBe(before);
    expect((await db.modelPrice.findFirst({ where: { provider: "openai-compatible", model: "glm-5.2" } }))?.source).not.toBe("user");
  });

  it("the app's own pages may mutate (Origin or Sec-Fetch-Site: same-origin); bearer calls need neither", async () => {
    const cookie = await logIn();
    const body = JSON.stringify(validRun);
    expect((await postRun({ cookie, "content-type": "application/json", origin: appOrigin }, body)).status).toBe(201);
    expect((await postRun({ cookie, "content-type": "application/json; charset=utf-8", "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:9999" }, body)).status).toBe(201);
    expect((await postRun({ authorization: `Bearer ${token}`, "content-type": "application/json" }, body)).status).toBe(201);
  });

  it("login itself is refused from another origin", async () => {
    expect((await login(token, { origin: "http://localhost:4000" })).status).toBe(403);
  });
});

describe("input edges", () => {
  it.each([
    ["above int4", "2147483648", /Last-Event-ID: must be at most 2147483647/],
    ["not a number", "abc", /Last-Event-ID: must be a whole number/],
    ["negative", "-1", /Last-Event-ID/],
  ])("a Last-Event-ID %s is a 400 naming the header", async (_name, lastEventId, message) => {
    const run = await db.run.create({ data: { title: "Stream", spec: "s", budgetUsd: 1 } });
    const response = await eventsRoute.GET(
      new Request(`${appOrigin}/api/runs/${run.id}/events`, { headers: { authorization: `Bearer ${token}`, "last-event-id": lastEventId } }),
      { params: Promise.resolve({ id: run.id }) },
    );
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.error.message).toMatch(message);
    expect(json.error.details.fields[0].field).toBe("Last-Event-ID");
  });

  it.each(["acme/..", "acme/.", "acme/.git", "acme/widgets.GIT", "-x/y", "x-/y", "a--b/y", "acme/-rf", "acme/wid gets", "acme/widgets/extra", "acme", `${"a".repeat(40)}/y`])(
    "refuses the repository name %s with a 400 naming repo, writing nothing",
    async (repo) => {
      const before = await db.run.count();
      const response = await postRun({ authorization: `Bearer ${token}`, "content-type": "application/json" }, JSON.stringify({ ...validRun, repo }));
      expect(response.status).toBe(400);
      const json = await response.json();
      expect(json.error.details.fields.map((f: { field: string }) => f.field)).toEqual(["repo"]);
      expect(await db.run.count()).toBe(before);
    },
  );

  it.each(["acme/widgets", "Acme-Corp/.github", "a/b", "mona_octo/repo.js", "x1/my_repo-2.0"])("accepts the repository name %s", async (repo) => {
    const response = await postRun({ authorization: `Bearer ${token}`, "content-type": "application/json" }, JSON.stringify({ ...validRun, repo }));
    expect(response.status).toBe(201);
  });
});
