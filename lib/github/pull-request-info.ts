// The subset of a GitHub pull request the factory works with.
export type PullRequestInfo = {
  number: number;
  nodeId: string;
  url: string;
  headBranch: string;
  baseBranch: string;
  headSha: string;
  isDraft: boolean;
  state: "open" | "closed" | "merged";
  body: string;
};

type PullLike = {
  number: number;
  node_id: string;
  html_url: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  draft?: boolean;
  state: string;
  merged_at: string | null;
  body: string | null;
};

export function toPullRequestInfo(pull: PullLike): PullRequestInfo {
  return {
    number: pull.number,
    nodeId: pull.node_id,
    url: pull.html_url,
    headBranch: pull.head.ref,
    baseBranch: pull.base.ref,
    headSha: pull.head.sha,
    isDraft: pull.draft === true,
    state: pull.merged_at ? "merged" : pull.state === "closed" ? "closed" : "open",
    body: pull.body ?? "",
  };
}
