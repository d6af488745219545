// A comment the factory posts once per key (e.g. its answer to one human review); a re-run
// finds it by its hidden marker, on a comment the factory itself wrote, instead of posting again.
import { getGitHubClient, type RepoRef } from "./get-github-client";
import { getFactoryLogin } from "./factory-identity";
import { hiddenMarker, isOwnMarked } from "./hidden-marker";
import { toGitHubError } from "./to-github-error";

export async function replyOnPullRequest(input: RepoRef & { number: number; key: string; body: string }): Promise<{ id: number; url: string; isCreated: boolean }> {
  const client = await getGitHubClient(input);
  const { owner, repo, number } = input;
  const marker = hiddenMarker("reply", input.key);
  try {
    const factoryLogin = await getFactoryLogin(input);
    const comments = await client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
    const existing = comments.find((comment) => isOwnMarked(comment, marker, factoryLogin));
    if (existing) return { id: existing.id, url: existing.html_url, isCreated: false };
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: number, body: `${marker}\n${input.body}` });
    return { id: data.id, url: data.html_url, isCreated: true };
  } catch (error) {
    throw toGitHubError(error, `comment on PR #${number} in ${owner}/${repo}`);
  }
}
