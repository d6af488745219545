// POST /graphql, minimally: the two mutations GitHub offers only through GraphQL
// (markPullRequestReadyForReview, enablePullRequestAutoMerge). Anything else answers a
// GraphQL error, so a new query fails loudly instead of silently passing.
import { route, type Route, type FakeInternals } from "./fake-http";
import { nowIso } from "./fake-state";
import { pullNodeId } from "./github-shapes";

export function graphqlRoutes(): Route[] {
  return [
    route("POST", "/graphql", ({ body, actor, fake }) => {
      const query = typeof body.query === "string" ? body.query : "";
      const variables = (body.variables ?? {}) as Record<string, unknown>;
      const nodeId = String(variables.pullRequestId ?? query.match(/pullRequestId:\s*"([^"]+)"/)?.[1] ?? "");
      if (/markPullRequestReadyForReview/.test(query)) {
        const pull = findByNodeId(fake, nodeId);
        if (!pull) return { body: notFoundError(nodeId) };
        pull.isDraft = false;
        pull.updatedAt = nowIso();
        return { body: { data: { markPullRequestReadyForReview: { pullRequest: { id: nodeId, isDraft: false } } } } };
      }
      if (/enablePullRequestAutoMerge/.test(query)) {
        const pull = findByNodeId(fake, nodeId);
        if (!pull) return { body: notFoundError(nodeId) };
        const method = String(variables.mergeMethod ?? "MERGE").toLowerCase() as "merge" | "squash" | "rebase";
        pull.autoMerge = { mergeMethod: method, enabledBy: actor };
        return { body: { data: { enablePullRequestAutoMerge: { pullRequest: { id: nodeId, autoMergeRequest: { enabledAt: nowIso() } } } } } };
      }
      return { body: { errors: [{ message: "The fake GitHub does not implement this GraphQL operation", type: "NOT_IMPLEMENTED" }] } };
    }),
  ];
}

function findByNodeId(fake: FakeInternals, nodeId: string) {
  return fake.state.pulls.find((p) => pullNodeId(p.id) === nodeId);
}

function notFoundError(nodeId: string) {
  return { data: null, errors: [{ type: "NOT_FOUND", path: ["pullRequest"], message: `Could not resolve to a node with the global id of '${nodeId}'` }] };
}
