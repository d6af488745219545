// `npm run docs:screenshots` refreshes docs/screenshots/*.png from a real browser session.
// Not part of `npm test` (playwright.config.ts ignores *.screenshots.ts).
import { expect, test } from "@playwright/test";
import { baseUrl, insertRunEvent, logIn, runIdFromUrl, submitRun } from "./support/factory";
import { markPullRequestsMerged, startScriptedRun } from "./support/scripted-run";

test("capture the main pages", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 860 });
  const shot = (name: string) => page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });

  await page.goto(`${baseUrl()}/login`);
  await shot("login");
  await logIn(page);
  await page.getByTestId("nav-new-run").click();
  await submitRun(page, { repo: "acme", title: "", spec: "", budgetUsd: "0", maxIterations: "50" });
  await expect(page.getByTestId("error-repo")).toBeVisible();
  await shot("new-run-errors");
  await page.getByTestId("field-spec").fill("# Add a health endpoint\n\n`GET /health` returns **200** with `{ \"ok\": true }`.\n\n- covered by a test\n- documented in the README");
  await page.getByTestId("spec-tab-preview").click();
  await shot("new-run-preview");
  await page.getByTestId("spec-tab-write").click();
  await submitRun(page, { repo: "acme/widgets", title: "Health check endpoint", spec: "# Add a health endpoint", budgetUsd: "5", maxIterations: "3" });
  await expect(page).toHaveURL(/\/runs\/(?!new$)[^/]+$/);
  const runId = runIdFromUrl(page);
  await insertRunEvent(runId, { type: "run.started" });
  await insertRunEvent(runId, { type: "llm.call", payload: { role: "planner", model: "openai-compatible:glm-5.2" }, costDeltaUsd: 0.0132 });
  await insertRunEvent(runId, { type: "llm.call", payload: { role: "coder", model: "anthropic:claude-haiku-4-5" }, costDeltaUsd: 0.0421 });
  await expect(page.getByTestId("run-spent")).toContainText("0.05");
  await shot("run-live");
  await page.goto(baseUrl());
  await expect(page.getByTestId(`run-row-${runId}`)).toBeVisible();
  await shot("runs-list");
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("role-row-coder")).toBeVisible();
  await shot("settings");

  // A run driven by the scripted model through the real workflows, held while the
  // iteration-2 reviewer works: the control room mid-run.
  const scripted = await startScriptedRun({ gates: ["reviewer-2"], title: "Greet the world" });
  try {
    await scripted.waitForGate("reviewer-2");
    await page.goto(`${baseUrl()}/runs/${scripted.runId}`);
    await expect(page.getByTestId("task-row-greeting")).toContainText("2 / 3");
    await expect(page.getByTestId("task-now-greeting")).toContainText("fixer · iteration 1");
    await shot("run-lanes");
    await page.goto(`${baseUrl()}/runs/${scripted.runId}/tasks/greeting`);
    await expect(page.getByTestId("diff-1").getByTestId("review-comment")).toBeVisible();
    await expect(page.getByTestId("task-now")).toContainText("fixer · iteration 1");
    await shot("task-mid-run");
    scripted.release("reviewer-2");
    expect(await scripted.waitForFinish()).toBe("completed");
    await page.reload();
    await expect(page.getByTestId("task-status")).toHaveText("succeeded");
    await expect(page.getByTestId("iteration-2")).toBeVisible();
    await shot("task-done");
  } finally {
    scripted.stop();
  }
  await markPullRequestsMerged(scripted.runId);
  const day = (offset: number) => new Date(Date.now() + offset * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.goto(`${baseUrl()}/insights?from=${day(-6)}&to=${day(0)}`);
  await expect(page.getByTestId("insight-merged")).toHaveText(/Merged PRs[1-9]/);
  await expect(page.getByTestId("chart-spend-by-role")).toBeVisible();
  await shot("insights");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`${baseUrl()}/runs/${scripted.runId}/tasks/greeting`);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByTestId("iteration-2")).toBeVisible();
  await shot("task-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${baseUrl()}/runs/${scripted.runId}`);
  await expect(page.getByTestId("task-lane-greeting")).toBeVisible();
  await shot("run-phone");
});
