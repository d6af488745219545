// The control room, against a run driven by the scripted model through the real workflows
// (planner, coder, tests, reviewer, fixer, reviewer), watched through the real app and SSE.
import { expect, test, type Page } from "@playwright/test";
import { baseUrl, logIn } from "./support/factory";
import { markPullRequestsMerged, startScriptedRun, type ScriptedRun } from "./support/scripted-run";

test.describe.configure({ mode: "serial" });

let run: ScriptedRun;
test.afterAll(() => run?.stop());

const taskNow = (page: Page) => page.getByTestId("task-now-greeting");

test("watch agents work live: lanes, now line, iteration counts mid-review, tab title", async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page);
  run = await startScriptedRun({ gates: ["reviewer-1", "reviewer-2"], title: "Greet the world" });
  await page.goto(`${baseUrl()}/runs/${run.runId}`);
  await expect(page.getByTestId("run-title")).toHaveText("Greet the world");

  // The iteration-1 reviewer is running (held by the test): the task is on iteration 1.
  await run.waitForGate("reviewer-1");
  await expect(page.getByTestId("task-row-greeting")).toContainText("1 / 3");
  const lane = page.getByTestId("task-lane-greeting");
  await expect(lane).toContainText("iteration 1 / 3");
  await expect(lane.locator('[data-testid^="session-"][data-status="running"]')).toHaveCount(1);
  await expect(lane.locator('[data-testid^="session-"][data-status="finished"]')).toHaveCount(2); // the coder and the tester
  // The newest tool call, live: the coder ran the check and it failed.
  await expect(taskNow(page)).toContainText("coder · iteration 1 · ran `grep -qx hello hello.txt` → exit 1");
  await expect(page).toHaveTitle(/^running · \$0\.\d+ · Greet the world · Dark Factory$/);

  // Released, the review asks for changes; the fixer edits and re-runs the check, live.
  run.release("reviewer-1");
  await run.waitForGate("reviewer-2");
  await expect(taskNow(page)).toContainText("fixer · iteration 1 · ran `grep -qx hello hello.txt` → exit 0");
  await expect(page.getByTestId("task-row-greeting")).toContainText("2 / 3");
  await expect(page.getByTestId("event-list")).toContainText("fixer · iteration 1 · edited `hello.txt` (+1 −1)");

  // The task page mid-run: the diff under review and the live line.
  await lane.getByRole("link", { name: "greeting" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${run.runId}/tasks/greeting$`));
  await expect(page.getByTestId("task-now")).toContainText("fixer · iteration 1");
  await expect(page.getByTestId("diff-2").getByTestId("diff-file-hello.txt")).toContainText("hello");
  await expect(page).toHaveTitle(/^greeting · running · \$0\.\d+ · Dark Factory$/);

  run.release("reviewer-2");
  expect(await run.waitForFinish()).toBe("completed");
  await expect(page.getByTestId("task-status")).toHaveText("succeeded", { timeout: 20_000 });
});

test("the task page shows each iteration: diff with review comments at their lines, fixer feedback, costs, transcripts", async ({ page }) => {
  await logIn(page);
  await page.goto(`${baseUrl()}/runs/${run.runId}/tasks/greeting`);
  await expect(page.getByTestId("task-title")).toHaveText("Greeting file");
  await expect(page.getByTestId("task-iteration")).toHaveText("iteration 2 / 3");
  await expect(page.getByTestId("task-pr")).toContainText("PR #1");

  // The convergence chart: one finding in iteration 1, none in 2; tests failed, then passed.
  await expect(page.getByTestId("convergence-greeting").locator("svg[role=img]")).toHaveAttribute("aria-label", /Review findings \(#1: 1, #2: 0\)/);

  // Iteration 1: the reviewer's comment sits under line 1 of hello.txt in the diff it reviewed.
  const first = page.getByTestId("iteration-1");
  await expect(first).toContainText("tests failed");
  await expect(page.getByTestId("iteration-2")).toContainText("tests passed");
  await expect(first.getByTestId("review-1")).toContainText("The greeting is misspelled.");
  const comment = first.getByTestId("diff-1").getByTestId("review-comment");
  await expect(comment).toHaveAttribute("data-line", "1");
  await expect(comment).toContainText("Typo: this should read `hello`.");
  await expect(first.getByTestId("diff-1").locator(".diff-code-insert")).toContainText("helo");
  // The fixer was fed the failing test output and the review, marked as untrusted data.
  const feedback = first.getByTestId("fixer-feedback-1");
  await expect(feedback.getByTestId("untrusted-review")).toContainText("request_changes: The greeting is misspelled.");
  await expect(feedback.getByTestId("untrusted-test-results")).toContainText("Tests: FAILED");
  await expect(first.getByTestId("cost-row-reviewer")).toContainText("$0.0");
  await expect(first.getByTestId("cost-row-fixer")).toContainText("openai-compatible:scripted-model");

  // Transcripts: tool calls and results collapsed until opened; results marked untrusted.
  const fixerTranscript = first.locator('[data-testid^="transcript-"]').filter({ hasText: "fixer" });
  await fixerTranscript.locator("summary").first().click();
  const call = fixerTranscript.getByTestId("tool-call").first();
  await expect(call).not.toHaveAttribute("open", "");
  await expect(call.locator("pre")).toBeHidden();
  await call.locator("summary").click();
  await expect(call.locator("pre")).toContainText('"oldText": "helo"');
  await expect(fixerTranscript.getByTestId("tool-result").first()).toContainText("untrusted");

  // Iteration 2: approved.
  await expect(page.getByTestId("iteration-2").getByTestId("review-2")).toContainText("Correct and minimal.");
});

test("runs list: filter by status and repository, search titles, paginate", async ({ page }) => {
  await logIn(page);
  await page.goto(baseUrl());
  await page.getByTestId("runs-search").fill("greet the");
  await expect(page).toHaveURL(/q=greet\+the/);
  await expect(page.getByTestId(`run-row-${run.runId}`)).toBeVisible();
  await expect(page.getByTestId("runs-table").locator("tbody tr")).toHaveCount(await countRuns(page, { q: "greet the" }));

  await page.getByTestId("runs-status-filter").selectOption("failed");
  await expect(page.getByTestId("runs-no-match")).toBeVisible();
  await page.getByTestId("runs-status-filter").selectOption("succeeded");
  await expect(page.getByTestId(`run-row-${run.runId}`)).toBeVisible();

  await page.getByTestId("runs-repo-filter").fill("not a repo");
  await expect(page.getByText("Use owner/name")).toBeVisible();
  await page.getByTestId("runs-repo-filter").fill(run.repository);
  await expect(page).toHaveURL(new RegExp(`repo=${encodeURIComponent(run.repository)}`));
  await expect(page.getByTestId(`run-row-${run.runId}`)).toBeVisible();
  await page.getByTestId("runs-repo-filter").fill("acme/nothing-here");
  await expect(page.getByTestId("runs-no-match")).toBeVisible();
  await page.getByTestId("runs-no-match").getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(new RegExp(`${baseUrl()}/?$`));
  await expect(page.getByTestId("runs-search")).toHaveValue("");

  // Pagination follows the API's cursors: 20 per page, then "Load more".
  const total = await countRuns(page, {});
  if (total > 20) {
    await expect(page.getByTestId("runs-table").locator("tbody tr")).toHaveCount(20);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect(page.getByTestId("runs-table").locator("tbody tr")).toHaveCount(Math.min(total, 40));
  }
});

test("insights: spend by role and model, $ per merged PR and per resolved task, from the run's ledger", async ({ page }) => {
  await logIn(page);
  await markPullRequestsMerged(run.runId);
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`${baseUrl()}/insights?from=${today}&to=${today}`);
  await expect(page.getByTestId("insight-merged")).toHaveText(/Merged PRs[1-9]/);
  await expect(page.getByTestId("insight-cost-per-pr")).toContainText(/\$0\.\d+/);
  await expect(page.getByTestId("insight-cost-per-task")).toContainText(/\$0\.\d+/);
  await expect(page.getByTestId("chart-spend-by-role").locator("svg[role=img]")).toHaveAttribute("aria-label", /coder: \$0\.\d+.*reviewer: \$0\.\d+|reviewer: \$0\.\d+.*coder: \$0\.\d+/);
  await expect(page.getByTestId("chart-spend-by-model").locator("svg[role=img]")).toHaveAttribute("aria-label", /openai-compatible:scripted-model: \$0\.\d+/);
  await expect(page.getByTestId("outcome-reviewer-openai-compatible:scripted-model")).toContainText("100%");
  await expect(page.getByTestId("chart-cost-per-pr")).toBeVisible();

  // A bad range is refused with the field named, not a crash.
  await page.goto(`${baseUrl()}/insights?from=2026-05-01&to=2026-04-01`);
  await expect(page.getByTestId("insights-error")).toContainText("from must be on or before to");
  // A range with nothing in it says so.
  await page.goto(`${baseUrl()}/insights?from=2001-01-01&to=2001-01-31`);
  await expect(page.getByTestId("insights-empty")).toBeVisible();
  // The date form round-trips through the URL.
  await page.getByTestId("insights-from").fill("2001-02-01");
  await page.getByTestId("insights-to").fill("2001-02-02");
  await page.getByTestId("insights-apply").click();
  await expect(page).toHaveURL(/from=2001-02-01&to=2001-02-02/);
});

async function countRuns(page: Page, filters: Record<string, string>) {
  const response = await page.request.get(`${baseUrl()}/api/runs?${new URLSearchParams({ limit: "100", ...filters })}`);
  return ((await response.json()) as { runs: unknown[] }).runs.length;
}
