// One sticky status comment per PR (iteration, tests, review, cost), found again by a hidden
// marker on the factory's own comment (or the id saved on the PullRequest row) and edited in
// place, never duplicated. A stranger's comment carrying the marker is not the factory's.
import { db } from "@/lib/db";
import { formatUsd } from "@/lib/money";
import { describeNoTestCommand } from "@/lib/repositories/repository-profile-schema";
import { resolveRunCommands } from "@/lib/repositories/repository-profile";
import { getGitHubClient, type RepoRef } from "./app-auth";
import { getFactoryLogin, hiddenMarker, isOwnMarked } from "./factory-identity";
import { hasGitHubStatus, toGitHubError } from "./github-client";

export type PullRequestStatus = {
  iteration: number;
  maxIterations?: number;
  testResult: "passed" | "failed" | "not_run";
  verdict: "approve" | "request_changes" | "pending";
  costUsd: number;
  runUrl?: string;
  note?: string;
  /** No tests ran because there is no test command, and whose choice that was (found from the run when left out). */
  noTestCommand?: "run" | "repository";
};

export type UpsertStatusCommentInput = RepoRef & {
  number: number;
  status: PullRequestStatus;
  /** The PullRequest row: its statusCommentId is used and saved. */
  pullRequestId?: string;
};

const marker = hiddenMarker("status");

export async function upsertStatusComment(input: UpsertStatusCommentInput): Promise<{ id: number; isCreated: boolean; isChanged: boolean }> {
  const client = await getGitHubClient(input);
  const { owner, repo, number } = input;
  const body = renderStatus(await explainTestsNotRun(input));
  try {
    const existing = await findStatusComment(input);
    let result: { id: number; isCreated: boolean; isChanged: boolean };
    if (existing && existing.body === body) result = { id: existing.id, isCreated: false, isChanged: false };
    else if (existing) {
      await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      result = { id: existing.id, isCreated: false, isChanged: true };
    } else {
      const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: number, body });
      result = { id: data.id, isCreated: true, isChanged: true };
    }
    if (input.pullRequestId) {
      await db.pullRequest.update({ where: { id: input.pullRequestId }, data: { statusCommentId: BigInt(result.id) } });
    }
    return result;
  } catch (error) {
    throw toGitHubError(error, `update the status comment on PR #${number} in ${owner}/${repo}`);
  }
}

async function findStatusComment(input: UpsertStatusCommentInput): Promise<{ id: number; body: string } | null> {
  const client = await getGitHubClient(input);
  const { owner, repo } = input;
  const factoryLogin = await getFactoryLogin(input);
  if (input.pullRequestId) {
    const row = await db.pullRequest.findUnique({ where: { id: input.pullRequestId }, select: { statusCommentId: true } });
    if (row?.statusCommentId) {
      try {
        const { data } = await client.rest.issues.getComment({ owner, repo, comment_id: Number(row.statusCommentId) });
        if (isOwnMarked(data, marker, factoryLogin)) return { id: data.id, body: data.body ?? "" };
      } catch (error) {
        if (!hasGitHubStatus(error, 404)) throw error; // deleted by someone: search, then recreate
      }
    }
  }
  const comments = await client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: input.number, per_page: 100 });
  const found = comments.find((c) => isOwnMarked(c, marker, factoryLogin));
  return found ? { id: found.id, body: found.body ?? "" } : null;
}

/** "Not run" without a test command means no tests at all: say so, never "not run yet" or green. */
async function explainTestsNotRun(input: UpsertStatusCommentInput): Promise<PullRequestStatus> {
  const { status } = input;
  if (status.testResult !== "not_run" || status.noTestCommand || !input.pullRequestId) return status;
  const row = await db.pullRequest.findUnique({
    where: { id: input.pullRequestId },
    select: { run: { select: { testCommand: true, setupCommand: true, repository: { select: { testCommand: true, setupCommand: true } } } } },
  });
  if (!row?.run.repository) return status;
  const commands = resolveRunCommands({ run: row.run, repository: row.run.repository });
  return commands.testCommand ? status : { ...status, noTestCommand: commands.source.testCommand };
}

function renderStatus(status: PullRequestStatus): string {
  const tests =
    status.testResult === "not_run" && status.noTestCommand
      ? `⚪ ${describeNoTestCommand(status.noTestCommand)}`
      : { passed: "✅ passing", failed: "❌ failing", not_run: "⏳ not run yet" }[status.testResult];
  const review = { approve: "✅ approved", request_changes: "❌ changes requested", pending: "⏳ pending" }[status.verdict];
  const iteration = status.maxIterations ? `${status.iteration} of ${status.maxIterations}` : String(status.iteration);
  return [
    marker,
    "### Dark Factory status",
    "",
    "| | |",
    "|---|---|",
    `| Iteration | ${iteration} |`,
    `| Tests | ${tests} |`,
    `| Review | ${review} |`,
    `| Cost so far | ${formatUsd(status.costUsd)} |`,
    ...(status.runUrl ? [`| Run | ${status.runUrl} |`] : []),
    ...(status.note ? ["", status.note] : []),
  ].join("\n");
}
