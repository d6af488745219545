// Page objects and server-side helpers for the browser tests.
import { expect, type Page } from "@playwright/test";
import pg from "pg";

export const baseUrl = () => process.env.E2E_BASE_URL!;
export const apiToken = () => process.env.E2E_API_TOKEN!;

export async function logIn(page: Page, origin = baseUrl()) {
  await page.goto(`${origin}/login`);
  await page.getByTestId("login-token").fill(apiToken());
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function submitRun(page: Page, run: { repo: string; title: string; spec: string; budgetUsd: string; maxIterations: string }) {
  await page.getByTestId("field-repo").fill(run.repo);
  await page.getByTestId("field-title").fill(run.title);
  await page.getByTestId("field-spec").fill(run.spec);
  await page.getByTestId("field-budgetUsd").fill(run.budgetUsd);
  await page.getByTestId("field-maxIterations").fill(run.maxIterations);
  await page.getByTestId("new-run-submit").click();
}

/** Appends a RunEvent the way the workers do (next seq under the run's row lock), plus spend. */
export async function insertRunEvent(runId: string, event: { type: string; payload?: unknown; costDeltaUsd?: number }) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ lastEventSeq: number }>(
      `UPDATE "Run" SET "lastEventSeq" = "lastEventSeq" + 1, "spentUsd" = "spentUsd" + $2 WHERE id = $1 RETURNING "lastEventSeq"`,
      [runId, event.costDeltaUsd ?? 0],
    );
    await client.query(
      `INSERT INTO "RunEvent" ("runId", seq, type, payload, "costDeltaUsd") VALUES ($1, $2, $3, $4, $5)`,
      [runId, rows[0].lastEventSeq, event.type, JSON.stringify(event.payload ?? {}), event.costDeltaUsd ?? 0],
    );
    await client.query("COMMIT");
    return rows[0].lastEventSeq;
  } finally {
    await client.end();
  }
}

export function runIdFromUrl(page: Page): string {
  const match = page.url().match(/\/runs\/([^/?#]+)$/);
  if (!match) throw new Error(`Not on a run page: ${page.url()}`);
  return match[1];
}

/** Records a merged factory PR for the run, as the GitHub webhook does when a human merges it. */
export async function insertMergedPullRequest(runId: string, number: number) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "PullRequest" (id, "repositoryId", "runId", number, url, "headBranch", "baseBranch", state, "mergedAt", "updatedAt")
       SELECT $2, "repositoryId", id, $3, $4, $5, 'main', 'merged', now(), now() FROM "Run" WHERE id = $1`,
      [runId, `e2e-pr-${runId}-${number}`, number, `https://github.com/acme/widgets/pull/${number}`, `factory/${runId}-t${number}`],
    );
  } finally {
    await client.end();
  }
}
