import { expect, test } from "@playwright/test";
import { apiToken, baseUrl, insertMergedPullRequest, insertRunEvent, logIn, runIdFromUrl, submitRun } from "./support/factory";
import { startTcpProxy } from "./support/tcp-proxy";

test("a wrong token is refused without revealing anything about the real one", async ({ page }) => {
  await page.goto(`${baseUrl()}/runs/new`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByTestId("login-token").fill("definitely-not-the-token");
  await page.getByTestId("login-submit").click();
  const error = page.getByTestId("login-error");
  await expect(error).toBeVisible();
  const text = (await error.textContent()) ?? "";
  expect(text).not.toContain(apiToken().slice(0, 6));
  expect(text).not.toMatch(/\d+\s*(characters|chars)|length/i);
});

test("log in, submit a run, find it in the list, and watch events arrive live", async ({ page }) => {
  await logIn(page);
  await page.getByTestId("nav-new-run").click();
  await expect(page).toHaveURL(/\/runs\/new$/);

  // Inline field errors, and nothing is submitted.
  await submitRun(page, { repo: "not-a-repo", title: "Health check", spec: "x", budgetUsd: "0", maxIterations: "3" });
  await expect(page.getByTestId("error-repo")).toBeVisible();
  await expect(page.getByTestId("error-budgetUsd")).toBeVisible();
  await expect(page).toHaveURL(/\/runs\/new$/);

  await page.getByTestId("field-spec").fill("# Add a health endpoint\n\n- returns **200**");
  await page.getByTestId("spec-tab-preview").click();
  await expect(page.getByTestId("spec-preview").getByRole("heading", { name: "Add a health endpoint" })).toBeVisible();
  await page.getByTestId("spec-tab-write").click();
  await submitRun(page, { repo: "acme/widgets", title: "Health check endpoint", spec: "# Add a health endpoint", budgetUsd: "5", maxIterations: "3" });

  await expect(page).toHaveURL(/\/runs\/(?!new$)[^/]+$/);
  const runId = runIdFromUrl(page);
  await expect(page.getByTestId("run-title")).toHaveText("Health check endpoint");
  await expect(page.getByTestId("run-status")).toContainText(/queued/i);
  await expect(page.getByTestId("run-budget")).toContainText("5.00");
  await expect(page.getByTestId("run-models")).toContainText("openai-compatible:glm-5.2");

  await page.goto(baseUrl());
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row).toContainText("Health check endpoint");
  await expect(row).toContainText("acme/widgets");
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByTestId("stream-status")).toHaveText(/live/i);
  await expect(page.getByTestId("event-1")).toBeVisible();

  const seq = await insertRunEvent(runId, { type: "llm.call", payload: { role: "coder", model: "openai-compatible:glm-5.2" }, costDeltaUsd: 0.25 });
  await expect(page.getByTestId(`event-${seq}`)).toBeVisible();
  await expect(page.getByTestId("run-spent")).toContainText("0.25");

  // The runs list leads with outcome and cost: PRs merged and what each merged PR cost.
  await insertMergedPullRequest(runId, 7);
  await page.goto(baseUrl());
  await expect(page.getByTestId(`run-prs-${runId}`)).toHaveText("1 opened · 1 merged");
  await expect(page.getByTestId("runs-totals")).toContainText("Cost per merged PR");
});

test("a dropped stream reconnects without losing or duplicating events", async ({ page }) => {
  const proxy = await startTcpProxy(Number(process.env.E2E_APP_PORT));
  try {
    await logIn(page, proxy.url);
    await page.goto(`${proxy.url}/runs/new`);
    await submitRun(page, { repo: "acme/widgets", title: "Reconnect", spec: "spec", budgetUsd: "1", maxIterations: "1" });
    await expect(page).toHaveURL(/\/runs\/(?!new$)[^/]+$/);
    const runId = runIdFromUrl(page);
    await expect(page.getByTestId("stream-status")).toHaveText(/live/i);
    const before = await insertRunEvent(runId, { type: "test.before-drop" });
    await expect(page.getByTestId(`event-${before}`)).toBeVisible();

    proxy.dropAndPause();
    await expect(page.getByTestId("stream-status")).toHaveText(/reconnecting/i);
    const missed = [await insertRunEvent(runId, { type: "test.while-dropped" }), await insertRunEvent(runId, { type: "test.while-dropped" })];
    proxy.resume();

    await expect(page.getByTestId("stream-status")).toHaveText(/live/i, { timeout: 30_000 });
    for (const seq of missed) await expect(page.getByTestId(`event-${seq}`)).toBeVisible();
    const after = await insertRunEvent(runId, { type: "test.after-reconnect" });
    await expect(page.getByTestId(`event-${after}`)).toBeVisible();
    const ids = await page.locator('[data-testid^="event-"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-testid")));
    const seqs = ids.filter((id): id is string => !!id && /^event-\d+$/.test(id)).map((id) => Number(id.slice(6)));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: after }, (_, i) => i + 1));
  } finally {
    await proxy.close();
  }
});
