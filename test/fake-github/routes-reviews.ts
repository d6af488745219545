// REST: pull request reviews, with GitHub's rules: inline comments only on diff lines, no
// approving or requesting changes on your own PR, a body for REQUEST_CHANGES.
import type { components } from "@octokit/openapi-types";
import { diffFiles } from "./git-repo-ops";
import { notFound, route, unprocessable, type Route } from "./fake-http";
import { nowIso, repoKey, type FakeReview, type FakeReviewComment } from "./fake-state";
import { toReview, toReviewComment } from "./github-shapes";
import { findPullOrThrow, pullShas } from "./pull-helpers";

const reviewStates = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" } as const;

export function reviewRoutes(): Route[] {
  return [
    route("GET", "/repos/:owner/:repo/pulls/:number/reviews", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const pull = findPullOrThrow(fake, repo, params.number);
      const reviews = fake.state.reviews.filter((r) => r.repoKey === pull.repoKey && r.pullNumber === pull.number);
      return { body: reviews.map((r) => toReview(fake.shape, repo, r)) };
    }),

    route("POST", "/repos/:owner/:repo/pulls/:number/reviews", async ({ params, body, actor, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const pull = findPullOrThrow(fake, repo, params.number);
      const event = body.event;
      if (event !== "APPROVE" && event !== "REQUEST_CHANGES" && event !== "COMMENT") {
        // Real GitHub makes a PENDING review without an event; the factory never wants one.
        throw unprocessable([{ resource: "PullRequestReview", field: "event", code: "invalid" }]);
      }
      const text = typeof body.body === "string" ? body.body : "";
      const inputComments = Array.isArray(body.comments) ? (body.comments as Record<string, unknown>[]) : [];
      if (event !== "APPROVE" && !text && inputComments.length === 0) {
        throw unprocessable([`Review body is required for ${event}`], "Unprocessable Entity");
      }
      if (event !== "COMMENT" && !fake.options.allowSelfReview && pull.user.login === actor.login) {
        const verb = event === "APPROVE" ? "approve" : "request changes on";
        throw unprocessable([`Review Can not ${verb} your own pull request`], "Unprocessable Entity");
      }
      const shas = await pullShas(repo, pull);
      const diffLines = commentableLines(await diffFiles(repo.dir, shas.base, shas.head));
      const id = fake.nextId();
      const comments: FakeReviewComment[] = inputComments.map((c) => {
        const path = String(c.path ?? "");
        const line = Number(c.line);
        const side = c.side === "LEFT" ? "LEFT" : "RIGHT";
        const hunk = diffLines.get(path)?.get(line);
        if (side !== "RIGHT" || hunk === undefined) {
          throw unprocessable(["Pull request review thread line must be part of the diff"], "Unprocessable Entity");
        }
        return { id: fake.nextId(), reviewId: id, path, line, side, body: String(c.body ?? ""), diffHunk: hunk, createdAt: nowIso() };
      });
      const review: FakeReview = {
        id, repoKey: pull.repoKey, pullNumber: pull.number, user: actor, body: text, state: reviewStates[event],
        commitId: typeof body.commit_id === "string" ? body.commit_id : shas.head, submittedAt: nowIso(), comments,
      };
      fake.state.reviews.push(review);
      return { body: toReview(fake.shape, repo, review) };
    }),

    route("GET", "/repos/:owner/:repo/pulls/:number/reviews/:reviewId", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const review = fake.state.reviews.find((r) => r.repoKey === repoKey(repo.owner, repo.name) && r.pullNumber === Number(params.number) && r.id === Number(params.reviewId));
      if (!review) throw notFound();
      return { body: toReview(fake.shape, repo, review) };
    }),

    route("GET", "/repos/:owner/:repo/pulls/:number/reviews/:reviewId/comments", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const review = fake.state.reviews.find((r) => r.repoKey === repoKey(repo.owner, repo.name) && r.pullNumber === Number(params.number) && r.id === Number(params.reviewId));
      if (!review) throw notFound();
      const body: components["schemas"]["review-comment"][] = review.comments.map((c) => toReviewComment(fake.shape, repo, review, c));
      return { body };
    }),
  ];
}

/** path -> (right-side line -> hunk text up to that line), as GitHub resolves review lines. */
function commentableLines(files: { filename: string; patch: string }[]): Map<string, Map<number, string>> {
  const result = new Map<string, Map<number, string>>();
  for (const file of files) {
    const lines = new Map<number, string>();
    let right = 0;
    let hunk: string[] = [];
    for (const text of file.patch.split("\n")) {
      const header = text.match(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/);
      if (header) { right = Number(header[1]); hunk = [text]; continue; }
      hunk.push(text);
      if (text.startsWith("-") || text.startsWith("\\")) continue;
      lines.set(right, hunk.join("\n"));
      right += 1;
    }
    result.set(file.filename, lines);
  }
  return result;
}
