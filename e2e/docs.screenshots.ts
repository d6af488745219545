// `npm run docs:screenshots` refreshes docs/screenshots/*.png from a real browser session.
// Not part of `npm test` (playwright.config.ts ignores *.screenshots.ts).
import { expect, test } from "@playwright/test";
import { baseUrl, insertRunEvent, logIn, runIdFromUrl, submitRun } from "./support/factory";

test("capture the main pages", async ({ page }) => {
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
});
