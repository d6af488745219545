// The app as an attacker sees it, over real HTTP against `next start`: cross-site requests from
// another origin in Chromium, oversize uploads, framing and CSP, session revocation, throttled
// logins, open redirects, bad stream ids and remote images in specs.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { apiToken, baseUrl, logIn } from "./support/factory";
import { uploadUntilAnswered } from "./support/raw-http";

const appPort = () => Number(process.env.E2E_APP_PORT);
const auth = () => ({ authorization: `Bearer ${apiToken()}` });

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A page on another origin (same host, another port: same-site, cross-origin). */
async function startOtherOrigin(html: (appUrl: string) => string, onRequest?: (path: string) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    onRequest?.(req.url ?? "/");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html(baseUrl()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.describe("cross-site request forgery", () => {
  test("a page on another localhost port cannot create a run or change a price with the victim's session", async ({ page }) => {
    await logIn(page);
    const [{ count: runsBefore }] = await query<{ count: string }>(`SELECT count(*) FROM "Run"`);
    const attacker = await startOtherOrigin((app) => `<!doctype html><html><body>
      <form id="run" method="POST" action="${app}/api/runs" enctype="text/plain">
        <input name='{"repo":"acme/widgets","title":"pwned","spec":"x","budgetUsd":9999,"maxIterations":1,"pad":"' value='"}'>
      </form>
      <script>
        window.attempts = (async () => {
          const price = JSON.stringify({ provider: "openai-compatible", model: "glm-5.2", input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
          const results = [];
          // A "simple" request: no preflight, so it reaches the server with the cookie.
          const run = JSON.stringify({ repo: "acme/widgets", title: "pwned", spec: "x", budgetUsd: 9999, maxIterations: 1 });
          await fetch("${app}/api/runs", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: run })
            .then(() => results.push("text/plain sent"), () => results.push("text/plain failed"));
          // JSON needs a CORS preflight the app never grants.
          await fetch("${app}/api/model-prices", { method: "PUT", credentials: "include", headers: { "content-type": "application/json" }, body: price })
            .then((r) => results.push("json " + r.status), () => results.push("json blocked"));
          return results;
        })();
      </script></body></html>`);
    const refusals: number[] = [];
    page.on("response", (response) => {
      // Only the forged writes: the victim's own app pages may still be polling with GETs.
      const method = response.request().method();
      if (response.url().startsWith(`${baseUrl()}/api/`) && method !== "OPTIONS" && method !== "GET") refusals.push(response.status());
    });
    try {
      await page.goto(attacker.url);
      expect(await page.evaluate(() => (window as unknown as { attempts: Promise<string[]> }).attempts)).toEqual(["text/plain sent", "json blocked"]);
      await Promise.all([page.waitForURL(`${baseUrl()}/api/runs`), page.locator("#run").evaluate((form: HTMLFormElement) => form.submit())]);
      // The cookie went along (same site), and the app still refused: wrong origin.
      expect(await page.locator("body").textContent()).toMatch(/Cross-site request refused/);
      expect(refusals).toContain(403);
      expect(refusals.filter((status) => status < 400)).toEqual([]);
    } finally {
      await attacker.close();
    }
    const [{ count: runsAfter }] = await query<{ count: string }>(`SELECT count(*) FROM "Run"`);
    expect(runsAfter).toBe(runsBefore);
    const prices = await query<{ source: string; input: string }>(`SELECT source::text, "inputPerMTok"::text AS input FROM "ModelPrice" WHERE provider = 'openai-compatible' AND model = 'glm-5.2'`);
    expect(prices.map((p) => Number(p.input))).toEqual([1.4]);
    expect(prices.map((p) => p.source)).not.toContain("user");
  });

  test("the session cookie is HttpOnly and SameSite=Strict", async ({ page, context }) => {
    await logIn(page);
    const cookie = (await context.cookies()).find((c) => c.name === "factory_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  });
});

/**
 * The server refused the upload at its cap and hung up. It answers first; but with the client
 * still sending, the kernel may reset the connection and drop that answer before the client
 * reads it (a race of TCP, not of the app), so the status is checked whenever it arrived.
 */
function expectCutOffAtCap(result: Awaited<ReturnType<typeof uploadUntilAnswered>>, options: { status: number; maxBytesSent: number }) {
  if (!result.isReset) expect(result.status).toBe(options.status);
  expect(result.bodyBytesSent).toBeLessThan(options.maxBytesSent);
  expect(result.isClosedByServer || result.isReset).toBe(true);
}

test.describe("request bodies", () => {
  test("a declared oversize body is refused with 413 before any of it is read, and the connection is closed", async () => {
    const result = await uploadUntilAnswered({
      port: appPort(), path: "/api/runs", headers: { ...auth(), "content-type": "application/json" },
      declaredLength: 300 * 1024 * 1024, maxBodyBytes: 300 * 1024 * 1024,
    });
    // Answered while this client had sent only a sliver of the declared 300 MB.
    expectCutOffAtCap(result, { status: 413, maxBytesSent: 16 * 1024 * 1024 });
    // The JSON error may be cut short by the same reset; what arrived names the code.
    if (!result.isReset && result.body) expect(result.body).toContain('"code":"payload_too_large"');
  });

  test("a chunked body with no length is cut off at the cap (256 KB for the API), not buffered whole", async () => {
    const result = await uploadUntilAnswered({
      port: appPort(), path: "/api/runs", headers: { ...auth(), "content-type": "application/json" }, maxBodyBytes: 200 * 1024 * 1024,
    });
    expectCutOffAtCap(result, { status: 413, maxBytesSent: 32 * 1024 * 1024 });
  });

  test("login bodies are capped at 4 KB", async () => {
    const result = await uploadUntilAnswered({
      port: appPort(), path: "/api/auth/login", headers: { origin: baseUrl(), "content-type": "application/json" }, maxBodyBytes: 200 * 1024 * 1024,
    });
    expectCutOffAtCap(result, { status: 413, maxBytesSent: 32 * 1024 * 1024 });
  });

  test("an unsigned webhook is refused before its body is read; a signed-looking one is cut off at 2 MB", async () => {
    const unsigned = await uploadUntilAnswered({
      port: appPort(), path: "/api/github/webhook", headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d1" },
      maxBodyBytes: 200 * 1024 * 1024,
    });
    expectCutOffAtCap(unsigned, { status: 401, maxBytesSent: 32 * 1024 * 1024 });

    const forged = await uploadUntilAnswered({
      port: appPort(), path: "/api/github/webhook",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d2", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
      maxBodyBytes: 200 * 1024 * 1024,
    });
    expectCutOffAtCap(forged, { status: 413, maxBytesSent: 32 * 1024 * 1024 });
  });

  test("a correctly signed small webhook still goes through", async ({ request }) => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const signature = `sha256=${createHmac("sha256", process.env.E2E_WEBHOOK_SECRET!).update(body).digest("hex")}`;
    const response = await request.post(`${baseUrl()}/api/github/webhook`, {
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": `d-ping-${Date.now()}`, "x-hub-signature-256": signature },
      data: body,
    });
    expect(response.status()).toBe(202);
    expect(await response.json()).toMatchObject({ status: "ignored", reason: "event ping not handled" });
  });
});

test.describe("headers and content security policy", () => {
  test("pages and API responses refuse framing and sniffing; pages carry a nonce CSP", async ({ request }) => {
    for (const path of ["/login", "/api/health"]) {
      const response = await request.get(`${baseUrl()}${path}`, { maxRedirects: 0 });
      const headers = response.headers();
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
    const login = await request.get(`${baseUrl()}/login`);
    const policy = login.headers()["content-security-policy"];
    const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).not.toContain("'unsafe-inline' 'nonce");
    expect(policy).toMatch(/img-src 'self' data: blob:/);
    // Next put this response's nonce on its scripts; another request gets another nonce.
    expect(await login.text()).toContain(`nonce="${nonce}"`);
    const again = (await request.get(`${baseUrl()}/login`)).headers()["content-security-policy"];
    expect(again).not.toBe(policy);
  });

  test("every page renders without a single CSP violation, and a spec's remote image is never fetched", async ({ page, request }) => {
    const imageRequests: string[] = [];
    const imageHost = await startOtherOrigin(() => "not an image", (path) => imageRequests.push(path));
    const violations = await watchCspViolations(page);
    try {
      const created = await request.post(`${baseUrl()}/api/runs`, {
        headers: auth(),
        data: { repo: "acme/widgets", title: "Remote image", spec: `# Logo\n\n![company logo](${imageHost.url}/logo.png)\n\nText.`, budgetUsd: 1, maxIterations: 1 },
      });
      expect(created.status()).toBe(201);
      const { id } = await created.json();

      await page.goto(`${baseUrl()}/login`);
      await logIn(page);
      for (const path of ["/", "/runs/new", "/settings", "/repositories", `/runs/${id}`]) {
        await page.goto(`${baseUrl()}${path}`);
        // Hydrated: React has attached itself to the nav, so Next's (nonce-carrying) scripts ran.
        await page.waitForFunction(() => Object.keys(document.querySelector("[data-testid=logout]") ?? {}).some((key) => key.startsWith("__reactFiber")));
      }
      const image = page.getByTestId("markdown-image");
      await expect(image).toHaveText("Image: company logo");
      await expect(image).toHaveAttribute("href", `${imageHost.url}/logo.png`);
      expect(imageRequests).toEqual([]);
      expect(await violations()).toEqual([]);
    } finally {
      await imageHost.close();
    }
  });
});

test.describe("sessions", () => {
  test("logout revokes the session: the old cookie no longer works", async ({ page, context, request }) => {
    await logIn(page);
    const cookie = (await context.cookies()).find((c) => c.name === "factory_session")!;
    const header = { cookie: `factory_session=${cookie.value}` };
    expect((await request.get(`${baseUrl()}/api/runs`, { headers: header })).status()).toBe(200);
    await page.getByTestId("logout").click();
    await expect(page).toHaveURL(/\/login/);
    const afterLogout = await request.get(`${baseUrl()}/api/runs`, { headers: header });
    expect(afterLogout.status()).toBe(401);
  });

  test("a malformed cookie is a 401, not a 500", async ({ request }) => {
    const response = await request.get(`${baseUrl()}/api/runs`, { headers: { cookie: "factory_session=%E0%A4%A" } });
    expect(response.status()).toBe(401);
  });

  test("after login, next=%2F%09%2Fevil.example stays on the app", async ({ page }) => {
    await page.goto(`${baseUrl()}/login?next=%2F%09%2Fevil.example`);
    await page.getByTestId("login-token").fill(apiToken());
    await page.getByTestId("login-submit").click();
    await expect(page).toHaveURL(`${baseUrl()}/`);
  });

  test("a link from elsewhere to a run page reaches it with the existing session (SameSite=Strict)", async ({ page }) => {
    await logIn(page);
    const elsewhere = await startOtherOrigin((app) => `<!doctype html><a id="go" href="${app}/settings">settings</a>`);
    try {
      await page.goto(elsewhere.url);
      await page.locator("#go").click();
      await expect(page).toHaveURL(`${baseUrl()}/settings`);
    } finally {
      await elsewhere.close();
    }
  });

  test("wrong logins are rate limited with 429", async ({ request }) => {
    const statuses: number[] = [];
    try {
      for (let i = 0; i < 11; i++) {
        const response = await request.post(`${baseUrl()}/api/auth/login`, { headers: { origin: baseUrl() }, data: { token: "wrong-token-guess-0000" } });
        statuses.push(response.status());
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses[10]).toBe(429);
      const blocked = await request.post(`${baseUrl()}/api/auth/login`, { headers: { origin: baseUrl() }, data: { token: apiToken() } });
      expect(blocked.status()).toBe(429);
      expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
    } finally {
      // Other browser tests log in from this same address.
      await query(`DELETE FROM "LoginThrottle"`);
    }
  });
});

test("a Last-Event-ID above 2^31-1 is a 400, not a database error", async ({ request }) => {
  const created = await request.post(`${baseUrl()}/api/runs`, { headers: auth(), data: { repo: "acme/widgets", title: "Stream", spec: "s", budgetUsd: 1, maxIterations: 1 } });
  const { id } = await created.json();
  const response = await request.get(`${baseUrl()}/api/runs/${id}/events`, { headers: { ...auth(), "last-event-id": "2147483648" } });
  expect(response.status()).toBe(400);
  expect((await response.json()).error.message).toMatch(/Last-Event-ID: must be at most 2147483647/);
});

test("repository names GitHub would refuse are refused by the API", async ({ request }) => {
  for (const repo of ["acme/..", "acme/.git", "-x/y"]) {
    const response = await request.post(`${baseUrl()}/api/runs`, { headers: auth(), data: { repo, title: "t", spec: "s", budgetUsd: 1, maxIterations: 1 } });
    expect(response.status()).toBe(400);
    expect((await response.json()).error.details.fields[0].field).toBe("repo");
  }
});

/** Collects CSP violations (the DOM event and Chromium's console report) across navigations. */
async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) fromConsole.push(message.text());
  });
  const fromEvents: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => void fromEvents.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(`${event.violatedDirective} ${event.blockedURI} on ${new URL(event.documentURI).pathname} from ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`);
    });
  });
  return async () => [...fromEvents, ...fromConsole];
}
