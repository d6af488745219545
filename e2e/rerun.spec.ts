// Re-run a spec with other models per role: the run page's Re-run opens the new-run form
// loaded (on the server) from the run, the reviewer's model is changed, and the new run keeps it.
import { expect, test } from "@playwright/test";
import { apiToken, baseUrl, logIn, runIdFromUrl } from "./support/factory";

const auth = () => ({ authorization: `Bearer ${apiToken()}` });
const sourceModels = {
  planner: "openai-compatible:glm-5.2",
  coder: ["openai-compatible:glm-5.2", "openai:gpt-5.4-mini"],
  tester: "openai-compatible:glm-5.2",
  reviewer: "openai-compatible:glm-5.2",
  fixer: "openai-compatible:glm-5.2",
};

test("re-run a run with another reviewer model: the form starts from the run, the new run stores the change", async ({ page }) => {
  const created = await page.request.post(`${baseUrl()}/api/runs`, {
    headers: auth(),
    data: { repo: "acme/widgets", title: "Re-run me", spec: "# Add a changelog\n\n- one line per release", budgetUsd: 7.5, maxIterations: 4, models: sourceModels },
  });
  expect(created.status()).toBe(201);
  const sourceId = ((await created.json()) as { id: string }).id;

  await logIn(page);
  await page.goto(`${baseUrl()}/runs/${sourceId}`);
  await expect(page.getByTestId("run-title")).toHaveText("Re-run me");
  await page.getByRole("link", { name: /^Re-run/ }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/new\\?from=${sourceId}$`));

  // Everything comes from the source run; the coder's ladder stays a list.
  await expect(page.getByTestId("rerun-source").getByRole("link", { name: "Re-run me" })).toHaveAttribute("href", `/runs/${sourceId}`);
  await expect(page.getByTestId("field-repo")).toHaveValue("acme/widgets");
  await expect(page.getByTestId("field-title")).toHaveValue("Re-run me");
  await expect(page.getByTestId("field-spec")).toHaveValue("# Add a changelog\n\n- one line per release");
  await expect(page.getByTestId("field-budgetUsd")).toHaveValue("7.50");
  await expect(page.getByTestId("field-maxIterations")).toHaveValue("4");
  await expect(page.getByTestId("field-models-coder")).toHaveValue("openai-compatible:glm-5.2, openai:gpt-5.4-mini");
  await expect(page.getByTestId("field-models-reviewer")).toHaveValue("openai-compatible:glm-5.2");

  // A malformed model is refused in place, naming the role's field; nothing is submitted.
  await page.getByTestId("field-models-reviewer").fill("gpt-5.5");
  await page.getByTestId("new-run-submit").click();
  await expect(page.getByTestId("error-models-reviewer")).toContainText('"provider:model"');
  await expect(page.getByTestId("field-models-reviewer")).toBeFocused();
  await expect(page).toHaveURL(/\/runs\/new\?from=/);

  await page.getByTestId("field-models-reviewer").fill("openai:gpt-5.5");
  await page.getByTestId("new-run-submit").click();
  await expect(page).toHaveURL(/\/runs\/(?!new)[^/?]+$/);
  const rerunId = runIdFromUrl(page);
  expect(rerunId).not.toBe(sourceId);
  await expect(page.getByTestId("run-models")).toContainText("reviewer: openai:gpt-5.5");

  // Stored: the reviewer's new model; every other role, the spec and the limits as they were.
  const stored = await page.request.get(`${baseUrl()}/api/runs/${rerunId}`, { headers: auth() });
  const rerun = (await stored.json()) as { repository: string; title: string; spec: string; budgetUsd: number; maxIterations: number; models: Record<string, string>; modelLadders: Record<string, string[]> };
  expect(rerun).toMatchObject({ repository: "acme/widgets", title: "Re-run me", spec: "# Add a changelog\n\n- one line per release", budgetUsd: 7.5, maxIterations: 4 });
  expect(rerun.models).toEqual({ ...sourceModels, coder: "openai-compatible:glm-5.2", reviewer: "openai:gpt-5.5" });
  expect(rerun.modelLadders).toEqual({ coder: ["openai-compatible:glm-5.2", "openai:gpt-5.4-mini"] });
});

test("re-running a run that does not exist says so and leaves the form empty", async ({ page }) => {
  await logIn(page);
  await page.goto(`${baseUrl()}/runs/new?from=no-such-run`);
  await expect(page.getByTestId("rerun-source-missing")).toContainText("no-such-run");
  await expect(page.getByTestId("field-title")).toHaveValue("");
});
