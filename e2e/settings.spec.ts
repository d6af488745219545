import { expect, test } from "@playwright/test";
import { baseUrl, logIn } from "./support/factory";

test("Settings shows each role's priced model, and a price edit persists until reset", async ({ page }) => {
  await logIn(page);
  await page.getByTestId("nav-settings").click();
  await expect(page).toHaveURL(/\/settings$/);

  // The e2e server runs every role on FACTORY_MODEL=openai-compatible:glm-5.2 at its list price.
  const coderRole = page.getByTestId("role-row-coder");
  await expect(coderRole).toContainText("openai-compatible:glm-5.2");
  await expect(coderRole).toContainText("$1.40");
  await expect(coderRole).toContainText("$4.00");
  await expect(page.getByTestId("settings-roles-warning")).toHaveCount(0);

  const row = page.getByTestId("prices-table").getByTestId("price-row-openai-compatible:glm-5.2");
  await expect(row.getByTestId("price-source")).toHaveText("list");
  await row.getByTestId("price-edit").click();
  await row.getByTestId("price-input-input").fill("-1");
  await row.getByTestId("price-save").click();
  await expect(row.getByRole("alert")).toContainText(/negative/i);

  await row.getByTestId("price-input-input").fill("2.5");
  await row.getByTestId("price-input-output").fill("7.25");
  await row.getByTestId("price-input-cacheRead").fill("0.3");
  await row.getByTestId("price-input-cacheWrite").fill("0");
  await row.getByTestId("price-save").click();
  await expect(row.getByTestId("price-cell-input")).toHaveText("$2.50");
  await expect(row.getByTestId("price-source")).toHaveText("edited");

  await page.reload();
  await expect(row.getByTestId("price-cell-input")).toHaveText("$2.50");
  await expect(row.getByTestId("price-cell-output")).toHaveText("$7.25");
  await expect(row.getByTestId("price-cell-cacheRead")).toHaveText("$0.30");
  await expect(coderRole).toContainText("$2.50");

  // Reset brings the list price back at once (and leaves the shared e2e database as it was).
  await row.getByTestId("price-reset").click();
  await expect(row.getByTestId("price-cell-input")).toHaveText("$1.40");
  await expect(row.getByTestId("price-source")).toHaveText("list");
  await expect(coderRole).toContainText("$1.40");
});

test("Add price prices a new model", async ({ page }) => {
  await logIn(page);
  await page.goto(`${baseUrl()}/settings`);
  await page.getByTestId("add-price-provider").selectOption("openai-compatible");
  await page.getByTestId("add-price-model").fill("qwen3:32b");
  for (const field of ["input", "output", "cacheRead", "cacheWrite"]) await page.getByTestId(`add-price-${field}`).fill("0");
  await page.getByTestId("add-price-submit").click();
  const row = page.getByTestId("price-row-openai-compatible:qwen3:32b");
  await expect(row.getByTestId("price-source")).toHaveText("edited");
  await expect(row.getByTestId("price-cell-output")).toHaveText("$0.00");
  await row.getByTestId("price-reset").click();
  await expect(row).toHaveCount(0);
});
