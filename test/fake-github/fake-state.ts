// In-memory records of the fake GitHub. Git data (branches, commits, diffs) lives in the
// bare repositories on disk; these records hold everything else GitHub stores.

export type FakeUser = { login: string; id: number; type: "User" | "Bot" };

export type FakeRepository = {
  id: number;
  owner: string;
  name: string;
  /** Bare repository directory under the fake's git root. */
  dir: string;
  defaultBranch: string;
  isPrivate: boolean;
  createdAt: string;
  /** Last issue/PR number used: issues and PRs share one sequence, as on GitHub. */
  lastNumber: number;
};

export type FakePull = {
  id: number;
  number: number;
  repoKey: string;
  title: string;
  body: string | null;
  head: string;
  base: string;
  isDraft: boolean;
  state: "open" | "closed";
  isMerged: boolean;
  mergedAt: string | null;
  closedAt: string | null;
  mergeCommitSha: string | null;
  /** Head sha when last seen, so a PR whose branch was deleted still renders. */
  lastHeadSha: string;
  user: FakeUser;
  autoMerge: { mergeMethod: "merge" | "squash" | "rebase"; enabledBy: FakeUser } | null;
  createdAt: string;
  updatedAt: string;
};

export type FakeReviewComment = {
  id: number;
  reviewId: number;
  path: string;
  line: number;
  side: "RIGHT" | "LEFT";
  body: string;
  diffHunk: string;
  createdAt: string;
};

export type FakeReview = {
  id: number;
  repoKey: string;
  pullNumber: number;
  user: FakeUser;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
  commitId: string;
  submittedAt: string;
  comments: FakeReviewComment[];
};

export type FakeIssueComment = {
  id: number;
  repoKey: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
};

export type FakeCheckRun = {
  id: number;
  repoKey: string;
  headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required" | null;
  /** What the check reported (title, summary) and its annotations, as CI writes them. */
  output?: { title?: string | null; summary?: string | null; text?: string | null };
  annotations?: FakeCheckAnnotation[];
};

export type FakeCheckAnnotation = {
  path: string;
  start_line: number;
  end_line?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string | null;
};

export type FakeCommitStatus = {
  id: number;
  repoKey: string;
  sha: string;
  context: string;
  state: "pending" | "success" | "failure" | "error";
  createdAt: string;
};

/** A repository role, as GitHub's collaborator permission endpoint names it. */
export type FakeRole = "admin" | "maintain" | "write" | "triage" | "read";

/** One request the fake answered, for assertions ("the app asked twice"). */
export type FakeRequestLog = { method: string; path: string; status: number };

export type FakeState = {
  repositories: Map<string, FakeRepository>;
  pulls: FakePull[];
  reviews: FakeReview[];
  issueComments: FakeIssueComment[];
  checkRuns: FakeCheckRun[];
  statuses: FakeCommitStatus[];
  requests: FakeRequestLog[];
  /** Installation access tokens issued (GitHub App auth), with their expiry. */
  installationTokens: { token: string; expiresAt: string }[];
  /** `${repoKey}:${login lowercased}` -> role on that repository. */
  permissions: Map<string, FakeRole>;
  nextId: number;
};

export function createFakeState(): FakeState {
  return {
    repositories: new Map(),
    pulls: [],
    reviews: [],
    issueComments: [],
    checkRuns: [],
    statuses: [],
    requests: [],
    installationTokens: [],
    permissions: new Map(),
    // GitHub ids are global: separate fake instances (one per test) must not reuse them.
    nextId: 1000 + Math.floor(Math.random() * 1_000_000) * 1000,
  };
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
