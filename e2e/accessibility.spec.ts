// The quality bar on every page: no serious or critical axe violations in light and dark mode,
// nothing wider than a 390 px phone, and the main actions reachable by keyboard.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { baseUrl, logIn } from "./support/factory";
import { startScriptedRun, type ScriptedRun } from "./support/scripted-run";

test.describe.configure({ mode: "serial" });

let run: ScriptedRun;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  run = await startScriptedRun({ title: "Accessible greeting" });
  expect(await run.waitForFinish()).toBe("completed");
});
test.afterAll(() => run?.stop());

function pages() {
  return [
    { name: "runs list", path: "/", ready: "runs-table" },
    { name: "new run", path: "/runs/new", ready: "field-spec" },
    { name: "run", path: `/runs/${run.runId}`, ready: "task-lane-greeting" },
    { name: "task", path: `/runs/${run.runId}/tasks/greeting`, ready: "iteration-2" },
    { name: "insights", path: "/insights", ready: "insights-totals" },
    { name: "settings", path: "/settings", ready: "role-row-coder" },
    { name: "repositories", path: "/repositories", ready: "repositories-list" },
  ];
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no serious or critical violations on any page (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl()}/login`);
    await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /dark/ : /^(?!.*dark)/);
    expect.soft(await seriousViolations(page), "login").toEqual([]);
    await logIn(page);
    for (const target of pages()) {
      await page.goto(`${baseUrl()}${target.path}`);
      await expect(page.getByTestId(target.ready)).toBeVisible();
      // Open what starts collapsed too, so its contents are checked.
      await page.evaluate(() => document.querySelectorAll("details").forEach((details) => (details.open = true)));
      expect.soft(await seriousViolations(page), target.name).toEqual([]);
    }
  });
}

test("every page fits a 390 px wide phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page);
  for (const target of pages()) {
    await page.goto(`${baseUrl()}${target.path}`);
    await expect(page.getByTestId(target.ready)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // Name the widest offenders, so a failure says what to fix.
    const offenders = overflow > 0 ? await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((element) => {
          for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
            if (getComputedStyle(parent).overflowX !== "visible") return false;
          }
          return true;
        })
        .slice(-5)
        .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).split(" ").slice(0, 4).join(".")}`),
    ) : [];
    expect.soft(overflow, `${target.name} is wider than the screen by ${overflow}px: ${offenders.join(", ")}`).toBeLessThanOrEqual(0);
  }
});

test("theme toggle: follows the system, then light, then dark, kept across reloads, by keyboard", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await logIn(page);
  await expect(page.locator("html")).toHaveClass(/dark/);
  const toggle = page.getByTestId("theme-toggle");
  await expect(toggle).toHaveAttribute("data-theme-choice", "system");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("data-theme-choice", "light");
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.getByTestId("theme-toggle").press("Enter");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByTestId("theme-toggle").press("Enter");
  await expect(page.getByTestId("theme-toggle")).toHaveAttribute("data-theme-choice", "system");
});

test("keyboard: from the runs list to a run, its task page and back, without a mouse", async ({ page }) => {
  await logIn(page);
  await page.goto(baseUrl());
  await page.getByTestId("runs-search").focus();
  await page.keyboard.type("Accessible greeting");
  const link = page.getByTestId(`run-row-${run.runId}`).getByRole("link");
  await expect(link).toBeVisible();
  await link.focus();
  await expect(link).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/runs/${run.runId}$`));
  const taskLink = page.getByTestId("task-lane-greeting").getByRole("link", { name: "greeting" });
  // Tab reaches the lane's task link.
  for (let presses = 0; presses < 40 && !(await taskLink.evaluate((element) => element === document.activeElement)); presses++) await page.keyboard.press("Tab");
  await expect(taskLink).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tasks\/greeting$/);
  // Collapsed sections open from the keyboard.
  const summary = page.getByTestId("iteration-1").locator('[data-testid^="transcript-"] > summary').first();
  await summary.focus();
  await page.keyboard.press("Enter");
  await expect(summary.locator("..")).toHaveAttribute("open", "");
});
