// The PR description: what the task is, how it is judged, where to watch it, what it cost.
import { formatUsd } from "../money";
import { hiddenMarker } from "./hidden-marker";

export type PullRequestBodyInput = {
  runId: string;
  runUrl: string;
  task: { key: string; title: string; description: string; acceptanceCriteria: string[] };
  costUsd: number;
  /** e.g. "iteration 2 of 3: tests passing, review requested changes" */
  progress?: string;
  /** Dependencies' PRs this one is stacked on (the first is its base), merge them first. */
  buildsOn?: { number: number; url: string; branch: string; taskKey: string }[];
};

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const criteria = input.task.acceptanceCriteria.length
    ? input.task.acceptanceCriteria.map((c) => `- [ ] ${c}`).join("\n")
    : "_None given._";
  return [
    hiddenMarker("pr", `${input.runId}:${input.task.key}`),
    `> Opened by Dark Factory for task \`${input.task.key}\` of [run ${input.runId}](${input.runUrl}).`,
    "",
    ...renderBuildsOn(input.buildsOn ?? []),
    "## Task",
    input.task.description.trim() || input.task.title,
    "",
    "## Acceptance criteria",
    criteria,
    "",
    "## Progress",
    `- Cost so far: **${formatUsd(input.costUsd)}**`,
    ...(input.progress ? [`- ${input.progress}`] : []),
    `- Live: ${input.runUrl}`,
  ].join("\n");
}

function renderBuildsOn(buildsOn: NonNullable<PullRequestBodyInput["buildsOn"]>): string[] {
  if (buildsOn.length === 0) return [];
  const [base, ...merged] = buildsOn;
  return [
    "## Builds on",
    `- #${base.number} (\`${base.taskKey}\`, branch \`${base.branch}\`): this PR is stacked on it and shows only its own change.`,
    ...merged.map((pr) => `- #${pr.number} (\`${pr.taskKey}\`, branch \`${pr.branch}\`): merged into this branch.`),
    "",
    "Merge those first. When a dependency changes, the factory merges it into this branch before its next iteration.",
    "",
  ];
}
