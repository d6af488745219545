// REST: issue comments (PR conversation comments share the issue API, as on GitHub).
import { notFound, route, stringField, type Route } from "./fake-http";
import { nowIso, repoKey, type FakeIssueComment } from "./fake-state";
import { toIssueComment } from "./github-shapes";

export function issueRoutes(): Route[] {
  return [
    route("GET", "/repos/:owner/:repo/issues/:number/comments", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const key = repoKey(repo.owner, repo.name);
      if (!fake.state.pulls.some((p) => p.repoKey === key && p.number === Number(params.number))) throw notFound();
      const comments = fake.state.issueComments.filter((c) => c.repoKey === key && c.issueNumber === Number(params.number));
      return { body: comments.map((c) => toIssueComment(fake.shape, repo, c)) };
    }),

    route("POST", "/repos/:owner/:repo/issues/:number/comments", ({ params, body, actor, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const key = repoKey(repo.owner, repo.name);
      if (!fake.state.pulls.some((p) => p.repoKey === key && p.number === Number(params.number))) throw notFound();
      const now = nowIso();
      const comment: FakeIssueComment = {
        id: fake.nextId(), repoKey: key, issueNumber: Number(params.number), body: stringField(body, "body", "IssueComment"),
        user: actor, createdAt: now, updatedAt: now,
      };
      fake.state.issueComments.push(comment);
      return { status: 201, body: toIssueComment(fake.shape, repo, comment) };
    }),

    route("GET", "/repos/:owner/:repo/issues/comments/:id", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const comment = fake.state.issueComments.find((c) => c.repoKey === repoKey(repo.owner, repo.name) && c.id === Number(params.id));
      if (!comment) throw notFound();
      return { body: toIssueComment(fake.shape, repo, comment) };
    }),

    route("PATCH", "/repos/:owner/:repo/issues/comments/:id", ({ params, body, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      const comment = fake.state.issueComments.find((c) => c.repoKey === repoKey(repo.owner, repo.name) && c.id === Number(params.id));
      if (!comment) throw notFound();
      comment.body = stringField(body, "body", "IssueComment");
      comment.updatedAt = nowIso();
      return { body: toIssueComment(fake.shape, repo, comment) };
    }),
  ];
}
