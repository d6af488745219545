// Repository profiles in the browser: detect from the local GitHub, edit with a field error,
// detect again without losing the edit; and a run's own test command from the new-run form.
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { baseUrl, logIn } from "./support/factory";

/** A repository row as the first run would leave it: known to the factory, never detected. */
async function insertRepository(owner: string, name: string) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Repository" (id, owner, name, "updatedAt") VALUES ($1, $2, $3, now()) ON CONFLICT (owner, name) DO NOTHING`,
      [`e2e-repo-${name}`, owner, name],
    );
  } finally {
    await client.end();
  }
}

async function queryRun(id: string) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ testCommand: string | null; setupCommand: string | null }>(`SELECT "testCommand", "setupCommand" FROM "Run" WHERE id = $1`, [id]);
    return rows[0];
  } finally {
    await client.end();
  }
}

const repositoryCard = (page: Page) => page.getByTestId("repository-acme/e2e-profiles");

test("a repository profile is detected, edited with a field error, and kept by the next detection", async ({ page }) => {
  await insertRepository("acme", "e2e-profiles");
  await logIn(page);
  await page.getByTestId("nav-repositories").click();
  await expect(page).toHaveURL(/\/repositories$/);

  const card = repositoryCard(page);
  await expect(card.getByTestId("profile-source")).toHaveText("Detected");
  await expect(card.getByTestId("profile-testCommand")).toHaveText("none");
  await expect(card.getByTestId("profile-no-tests")).toBeVisible();

  // Detect reads the default branch on the local GitHub: pnpm, vitest, CI.
  await card.getByRole("button", { name: "Detect again: the profile of acme/e2e-profiles" }).click();
  await expect(card.getByTestId("profile-testCommand")).toHaveText("pnpm test");
  await expect(card.getByTestId("profile-setupCommand")).toHaveText("pnpm install --frozen-lockfile");
  await expect(card.getByTestId("profile-buildCommand")).toHaveText("pnpm run build");
  await expect(card.getByTestId("profile-ci")).toHaveText("CI: waits for checks");
  await expect(card.getByTestId("profile-no-tests")).toHaveCount(0);
  await card.getByText("Detection report").click();
  await expect(card.getByTestId("profile-report")).toContainText("found package.json with scripts.test = vitest run → pnpm test");

  // A bad value shows its error under the field and saves nothing.
  await card.getByTestId("profile-edit").click();
  await card.getByTestId("profile-input-followUpBudgetUsd").fill("0");
  await card.getByTestId("profile-input-testCommand").fill("pnpm vitest run --reporter=dot");
  await card.getByTestId("profile-save").click();
  await expect(card.getByTestId("profile-error-followUpBudgetUsd")).toHaveText("Must be more than 0");
  await expect(card.getByTestId("profile-input-followUpBudgetUsd")).toHaveAttribute("aria-invalid", "true");

  await card.getByTestId("profile-input-followUpBudgetUsd").fill("3.5");
  await card.getByTestId("profile-input-hasCi").uncheck();
  await card.getByTestId("profile-save").click();
  await expect(card.getByTestId("profile-testCommand")).toHaveText("pnpm vitest run --reporter=dot");
  await expect(card.getByTestId("profile-followUpBudgetUsd")).toContainText("$3.50");
  await expect(card.getByTestId("profile-source")).toHaveText("Edited by a user");
  await expect(card.getByTestId("profile-ci")).toHaveText("No CI");

  await page.reload();
  await expect(card.getByTestId("profile-testCommand")).toHaveText("pnpm vitest run --reporter=dot");

  // Detecting again keeps the user's commands and says so in the report.
  await card.getByTestId("profile-detect").click();
  await expect(page.getByTestId("toast")).toContainText("your edited commands were kept");
  await expect(card.getByTestId("profile-testCommand")).toHaveText("pnpm vitest run --reporter=dot");
  await expect(card.getByTestId("profile-ci")).toHaveText("No CI");
  await card.getByText("Detection report").click();
  await expect(card.getByTestId("profile-report")).toContainText("Profile edited by a user: its commands and CI setting were kept.");
  await expect(card.getByTestId("profile-report")).toContainText("testCommand: profile has pnpm vitest run --reporter=dot, detection found pnpm test");
});

test("the new-run form sends the run's own test command, with the field error inline", async ({ page }) => {
  await logIn(page);
  await page.goto(`${baseUrl()}/runs/new`);
  await page.getByTestId("field-repo").fill("acme/e2e-profiles");
  await page.getByTestId("field-title").fill("Run with no tests");
  await page.getByTestId("field-spec").fill("Change the README.");

  await page.getByText("Advanced: setup and test commands").click();
  await page.getByTestId("field-testCommand").fill("x".repeat(2001));
  await page.getByTestId("new-run-submit").click();
  await expect(page.getByTestId("error-testCommand")).toHaveText("Must be at most 2000 characters");

  await page.getByTestId("field-setupCommand").fill("pnpm install --offline");
  await page.getByTestId("field-testCommand-off").check();
  await expect(page.getByTestId("field-testCommand")).toBeDisabled();
  await page.getByTestId("new-run-submit").click();
  await expect(page).toHaveURL(/\/runs\/(?!new$)[^/]+$/);
  const runId = page.url().split("/").at(-1)!;
  expect(await queryRun(runId)).toEqual({ testCommand: "", setupCommand: "pnpm install --offline" });
});
