// Renders the fake's records in GitHub's REST response shapes, typed against
// @octokit/openapi-types so a field GitHub has and the fake forgets fails the typecheck.
import type { components } from "@octokit/openapi-types";
import type { FakeCheckRun, FakeCommitStatus, FakeIssueComment, FakePull, FakeRepository, FakeReview, FakeReviewComment, FakeUser } from "./fake-state";

type Schemas = components["schemas"];

export type ShapeContext = { baseUrl: string; permissions: { admin: boolean; push: boolean; pull: boolean } };

export function toSimpleUser(base: string, user: FakeUser): Schemas["simple-user"] {
  const url = `${base}/users/${user.login}`;
  return {
    login: user.login, id: user.id, node_id: nodeId("U", user.id), avatar_url: `${base}/avatars/${user.login}`,
    gravatar_id: "", url, html_url: `${base}/${user.login}`, followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`, gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`, subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`, repos_url: `${url}/repos`, events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`, type: user.type, site_admin: false,
  };
}

function repositoryUrls(base: string, repo: FakeRepository) {
  const url = `${base}/repos/${repo.owner}/${repo.name}`;
  const html = `${base}/${repo.owner}/${repo.name}`;
  return {
    url, html_url: html, archive_url: `${url}/{archive_format}{/ref}`, assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`, branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`, comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`, compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`, contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`, downloads_url: `${url}/downloads`, events_url: `${url}/events`,
    forks_url: `${url}/forks`, git_commits_url: `${url}/git/commits{/sha}`, git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`, git_url: `${html}.git`.replace(/^http/, "git"),
    issue_comment_url: `${url}/issues/comments{/number}`, issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`, keys_url: `${url}/keys{/key_id}`, labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`, merges_url: `${url}/merges`, milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`, pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`, ssh_url: `git@fake-github.test:${repo.owner}/${repo.name}.git`,
    stargazers_url: `${url}/stargazers`, statuses_url: `${url}/statuses/{sha}`, subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`, tags_url: `${url}/tags`, teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`, clone_url: `${html}.git`, hooks_url: `${url}/hooks`, svn_url: html,
  };
}

export function toRepository(ctx: ShapeContext, repo: FakeRepository): Schemas["repository"] {
  return {
    id: repo.id, node_id: nodeId("R", repo.id), name: repo.name, full_name: `${repo.owner}/${repo.name}`,
    owner: toSimpleUser(ctx.baseUrl, { login: repo.owner, id: 1, type: "User" }), private: repo.isPrivate,
    description: null, fork: false, ...repositoryUrls(ctx.baseUrl, repo), mirror_url: null, homepage: null,
    language: null, forks_count: 0, stargazers_count: 0, watchers_count: 0, size: 1,
    default_branch: repo.defaultBranch, open_issues_count: 0, topics: [], has_issues: true, has_projects: true,
    has_wiki: true, has_pages: false, has_downloads: true, has_discussions: false, archived: false, disabled: false,
    visibility: repo.isPrivate ? "private" : "public", pushed_at: repo.createdAt, created_at: repo.createdAt,
    updated_at: repo.createdAt, permissions: { ...ctx.permissions, maintain: ctx.permissions.admin, triage: true },
    allow_rebase_merge: true, allow_squash_merge: true, allow_auto_merge: true, delete_branch_on_merge: false,
    allow_merge_commit: true, allow_forking: true, license: null, forks: 0, open_issues: 0, watchers: 0,
  };
}

export function toFullRepository(ctx: ShapeContext, repo: FakeRepository): Schemas["full-repository"] {
  const { owner, permissions, ...rest } = toRepository(ctx, repo);
  return { ...rest, owner, permissions: permissions!, has_discussions: false, pushed_at: repo.createdAt, created_at: repo.createdAt, updated_at: repo.createdAt, subscribers_count: 0, network_count: 0, license: null, template_repository: null };
}

export function toPullRequest(ctx: ShapeContext, repo: FakeRepository, pull: FakePull, shas: { head: string; base: string }, stats: { commits: number; additions: number; deletions: number; changedFiles: number }): Schemas["pull-request"] {
  const url = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const html = `${ctx.baseUrl}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const repository = toRepository(ctx, repo);
  const owner = toSimpleUser(ctx.baseUrl, { login: repo.owner, id: 1, type: "User" });
  const user = toSimpleUser(ctx.baseUrl, pull.user);
  return {
    url: `${url}/pulls/${pull.number}`, id: pull.id, node_id: pullNodeId(pull.id), html_url: html,
    diff_url: `${html}.diff`, patch_url: `${html}.patch`, issue_url: `${url}/issues/${pull.number}`,
    commits_url: `${url}/pulls/${pull.number}/commits`, review_comments_url: `${url}/pulls/${pull.number}/comments`,
    review_comment_url: `${url}/pulls/comments{/number}`, comments_url: `${url}/issues/${pull.number}/comments`,
    statuses_url: `${url}/statuses/${shas.head}`, number: pull.number, state: pull.state, locked: false,
    title: pull.title, user, body: pull.body, labels: [], milestone: null, created_at: pull.createdAt,
    updated_at: pull.updatedAt, closed_at: pull.closedAt, merged_at: pull.mergedAt, merge_commit_sha: pull.mergeCommitSha,
    assignee: null, assignees: [], requested_reviewers: [], requested_teams: [],
    head: { label: `${repo.owner}:${pull.head}`, ref: pull.head, sha: shas.head, user: owner, repo: repository },
    base: { label: `${repo.owner}:${pull.base}`, ref: pull.base, sha: shas.base, user: owner, repo: repository },
    _links: {
      self: { href: `${url}/pulls/${pull.number}` }, html: { href: html }, issue: { href: `${url}/issues/${pull.number}` },
      comments: { href: `${url}/issues/${pull.number}/comments` }, review_comments: { href: `${url}/pulls/${pull.number}/comments` },
      review_comment: { href: `${url}/pulls/comments{/number}` }, commits: { href: `${url}/pulls/${pull.number}/commits` },
      statuses: { href: `${url}/statuses/${shas.head}` },
    },
    author_association: "OWNER",
    auto_merge: pull.autoMerge
      ? { enabled_by: toSimpleUser(ctx.baseUrl, pull.autoMerge.enabledBy), merge_method: pull.autoMerge.mergeMethod, commit_title: pull.title, commit_message: "" }
      : null,
    draft: pull.isDraft, merged: pull.isMerged, mergeable: pull.state === "open" ? true : null, rebaseable: true,
    mergeable_state: pull.isDraft ? "draft" : "clean", merged_by: null, comments: 0, review_comments: 0,
    maintainer_can_modify: false, commits: stats.commits, additions: stats.additions, deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}

export function toReview(ctx: ShapeContext, repo: FakeRepository, review: FakeReview): Schemas["pull-request-review"] {
  const html = `${ctx.baseUrl}/${repo.owner}/${repo.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const pullUrl = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${review.pullNumber}`;
  return {
    id: review.id, node_id: nodeId("PRR", review.id), user: toSimpleUser(ctx.baseUrl, review.user), body: review.body,
    state: review.state, html_url: html, pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: review.submittedAt, commit_id: review.commitId, author_association: "OWNER",
  };
}

export function toReviewComment(ctx: ShapeContext, repo: FakeRepository, review: FakeReview, comment: FakeReviewComment): Schemas["review-comment"] {
  const url = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const html = `${ctx.baseUrl}/${repo.owner}/${repo.name}/pull/${review.pullNumber}#discussion_r${comment.id}`;
  return {
    url: `${url}/pulls/comments/${comment.id}`, pull_request_review_id: review.id, id: comment.id,
    node_id: nodeId("PRRC", comment.id), diff_hunk: comment.diffHunk, path: comment.path, position: null,
    original_position: 1, commit_id: review.commitId, original_commit_id: review.commitId,
    user: toSimpleUser(ctx.baseUrl, review.user), body: comment.body, created_at: comment.createdAt,
    updated_at: comment.createdAt, html_url: html, pull_request_url: `${url}/pulls/${review.pullNumber}`,
    author_association: "OWNER",
    _links: { self: { href: `${url}/pulls/comments/${comment.id}` }, html: { href: html }, pull_request: { href: `${url}/pulls/${review.pullNumber}` } },
    side: comment.side, line: comment.line, original_line: comment.line, subject_type: "line",
  };
}

export function toIssueComment(ctx: ShapeContext, repo: FakeRepository, comment: FakeIssueComment): Schemas["issue-comment"] {
  const url = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`;
  return {
    id: comment.id, node_id: nodeId("IC", comment.id), url: `${url}/issues/comments/${comment.id}`, body: comment.body,
    html_url: `${ctx.baseUrl}/${repo.owner}/${repo.name}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    user: toSimpleUser(ctx.baseUrl, comment.user), created_at: comment.createdAt, updated_at: comment.updatedAt,
    issue_url: `${url}/issues/${comment.issueNumber}`, author_association: "OWNER",
  };
}

export function toCheckRun(ctx: ShapeContext, repo: FakeRepository, run: FakeCheckRun): Schemas["check-run"] {
  const url = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`;
  return {
    id: run.id, head_sha: run.headSha, node_id: nodeId("CR", run.id), external_id: null, url,
    html_url: `${ctx.baseUrl}/${repo.owner}/${repo.name}/runs/${run.id}`, details_url: null, status: run.status,
    conclusion: run.conclusion, started_at: null, completed_at: run.status === "completed" ? new Date().toISOString() : null,
    output: {
      title: run.output?.title ?? null, summary: run.output?.summary ?? null, text: run.output?.text ?? null,
      annotations_count: run.annotations?.length ?? 0, annotations_url: `${url}/annotations`,
    },
    name: run.name, check_suite: { id: run.id + 1 }, app: null, pull_requests: [],
  };
}

export function toCombinedStatus(ctx: ShapeContext, repo: FakeRepository, sha: string, statuses: FakeCommitStatus[]): Schemas["combined-commit-status"] {
  const url = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`;
  // GitHub: failure if any error/failure, pending if any pending or none at all, else success.
  const state = statuses.some((s) => s.state === "failure" || s.state === "error")
    ? "failure"
    : statuses.length === 0 || statuses.some((s) => s.state === "pending") ? "pending" : "success";
  const { owner, ...minimal } = toRepository(ctx, repo);
  return {
    state, sha, total_count: statuses.length, commit_url: `${url}/commits/${sha}`, url: `${url}/commits/${sha}/status`,
    repository: { ...minimal, owner, license: null },
    statuses: statuses.map((s) => ({
      id: s.id, node_id: nodeId("SC", s.id), state: s.state, context: s.context, description: null, target_url: null,
      avatar_url: null, url: `${url}/statuses/${sha}`, created_at: s.createdAt, updated_at: s.createdAt,
    })),
  };
}

export function toGitRef(ctx: ShapeContext, repo: FakeRepository, ref: string, sha: string): Schemas["git-ref"] {
  const url = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`;
  return { ref, node_id: `REF_${Buffer.from(ref).toString("base64url")}`, url: `${url}/git/${ref}`, object: { type: "commit", sha, url: `${url}/git/commits/${sha}` } };
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(String(id)).toString("base64url")}`;
}

/** GraphQL mutations address pull requests by node id; the fake decodes it back. */
export function pullNodeId(id: number): string {
  return nodeId("PR", id);
}
