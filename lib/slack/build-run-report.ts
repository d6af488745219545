// Builds the Slack message that reports a finished run: outcome, money, time, tasks and PRs,
// and a link back to the run page. Every piece of user- or model-written text is escaped.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus, TaskStatus } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { resolveRunCommands } from "@/lib/repositories/repository-profile";
import { describeNoTestCommand } from "@/lib/repositories/repository-profile-schema";
import type { ModelEscalationDto } from "@/lib/runs/run-dto";
import { readModelEscalations, runPageUrl } from "@/lib/runs/to-run-dto";
import { formatUsd } from "@/lib/money";
import { slackLimits, type Mrkdwn, type SlackBlock, type SlackMessage, escapeMrkdwn, formatCount, formatDuration, joinLinesWithin, linkMrkdwn } from "./slack-message";
const runReportSelect = {
  id: true,
  title: true,
  status: true,
  budgetUsd: true,
  spentUsd: true,
  inputTokens: true,
  outputTokens: true,
  cacheReadTokens: true,
  startedAt: true,
  finishedAt: true,
  error: true,
  summary: true,
  testCommand: true,
  setupCommand: true,
  repository: { select: { owner: true, name: true, testCommand: true, setupCommand: true } },
  tasks: {
    orderBy: { createdAt: "asc" },
    select: {
      key: true, title: true, status: true, costUsd: true,
      sessions: { where: { followUpId: null }, orderBy: { startedAt: "asc" }, select: { id: true, role: true, model: true, attempt: true, costUsd: true } },
    },
  },
  events: { where: { type: { in: ["task.attempts", "model.escalated"] } }, orderBy: { seq: "asc" }, select: { type: true, payload: true } },
  pullRequests: { orderBy: { number: "asc" }, select: { number: true, url: true, state: true, task: { select: { title: true } } } },
} satisfies Prisma.RunSelect;

type RunReportRow = Prisma.RunGetPayload<{ select: typeof runReportSelect }>;

const outcomes: Record<RunStatus, { emoji: string; label: string }> = {
  succeeded: { emoji: ":white_check_mark:", label: "Run succeeded" },
  failed: { emoji: ":x:", label: "Run failed" },
  budget_exhausted: { emoji: ":money_with_wings:", label: "Run stopped: budget exhausted" },
  cancelled: { emoji: ":no_entry_sign:", label: "Run cancelled" },
  queued: { emoji: ":hourglass:", label: "Run queued" },
  planning: { emoji: ":hourglass:", label: "Run planning" },
  running: { emoji: ":hourglass:", label: "Run running" },
};

const taskEmoji: Record<TaskStatus, string> = {
  succeeded: ":white_check_mark:",
  failed: ":x:",
  budget_exhausted: ":money_with_wings:",
  cancelled: ":no_entry_sign:",
  skipped: ":fast_forward:",
  pending: ":white_circle:",
  running: ":arrows_counterclockwise:",
};

/** The run report for `runId`, or null when the run no longer exists. */
export async function buildRunReport(options: { runId: string }): Promise<SlackMessage | null> {
  const run = await db.run.findUnique({ where: { id: options.runId }, select: runReportSelect });
  return run ? formatRunReport(run) : null;
}

function formatRunReport(run: RunReportRow): SlackMessage {
  const outcome = outcomes[run.status];
  const url = runPageUrl(run.id);
  const repository = run.repository ? `${run.repository.owner}/${run.repository.name}` : "local session";
  const spent = run.spentUsd.toNumber();
  const merged = run.pullRequests.filter((pr) => pr.state === "merged").length;
  const succeededTasks = run.tasks.filter((task) => task.status === "succeeded").length;
  const noTests = describeMissingTests(run);

  const fields: Mrkdwn[] = [
    field("Cost", `${formatUsd(spent)} of ${formatUsd(run.budgetUsd.toNumber())} budget`),
    field("Duration", run.startedAt ? formatDuration((run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime()) : "never started"),
    field("Tasks", run.tasks.length ? `${succeededTasks}/${run.tasks.length} succeeded` : "none planned"),
    field("PRs", run.pullRequests.length ? `${run.pullRequests.length} opened, ${merged} merged` : "none"),
    field("Tokens", `${formatCount(run.inputTokens)} in (${formatCount(run.cacheReadTokens)} cached) · ${formatCount(run.outputTokens)} out`),
  ];
  // Spend per merged PR is the figure teams judge the factory's return by.
  if (merged > 0) fields.push(field("Cost per merged PR", formatUsd(spent / merged)));
  // A run without a test command must not read as green: say it plainly where tests would be.
  if (noTests) fields.push(field("Tests", noTests));

  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: `${outcome.emoji} ${outcome.label}`, emoji: true } },
    section(`*${escapeMrkdwn(run.title, 500)}*\n\`${escapeMrkdwn(repository, 200)}\``),
    { type: "section", fields },
  ];
  if ((run.status === "failed" || run.status === "budget_exhausted" || run.status === "cancelled") && run.error) {
    blocks.push(section(`*Reason*\n${escapeMrkdwn(run.error, slackLimits.sectionText - 20)}`));
  } else if (run.summary) {
    blocks.push(section(`*Summary*\n${escapeMrkdwn(run.summary, slackLimits.sectionText - 20)}`));
  }
  if (run.tasks.length) blocks.push(section(`*Tasks*\n${joinLinesWithin(run.tasks.map(formatTaskLine), slackLimits.sectionText - 20)}`));
  const attemptLines = formatAttemptLines(run);
  if (attemptLines.length) blocks.push(section(`*Best-of-N attempts*\n${joinLinesWithin(attemptLines, slackLimits.sectionText - 30)}`));
  const escalations = readModelEscalations(run.events, run.tasks);
  if (escalations.length) {
    blocks.push(section(`*Model escalations*\n${joinLinesWithin(escalations.map(formatEscalationLine), slackLimits.sectionText - 30)}`));
  }
  if (run.pullRequests.length) {
    blocks.push(section(`*Pull requests*\n${joinLinesWithin(run.pullRequests.map(formatPullRequestLine), slackLimits.sectionText - 20)}`));
  }
  blocks.push({
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: "Open run" }, url, action_id: "open-run", style: "primary" }],
  });

  const text = [
    `${outcome.label}: ${escapeMrkdwn(run.title, 300)} (${escapeMrkdwn(repository, 200)})`,
    `${formatUsd(spent)} of ${formatUsd(run.budgetUsd.toNumber())} budget, ${succeededTasks}/${run.tasks.length} tasks succeeded, ${merged} PRs merged.`,
    ...(noTests ? [`${noTests}.`] : []),
    `Open run: ${escapeMrkdwn(url)}`,
  ].join(" ");
  return { text, blocks };
}

/** "No tests ran: ..." when the run had no test command (its own override or the profile's), else null. */
function describeMissingTests(run: RunReportRow): string | null {
  if (!run.repository) return null;
  const commands = resolveRunCommands({ run, repository: run.repository });
  return commands.testCommand ? null : describeNoTestCommand(commands.source.testCommand);
}

function field(label: string, value: string): Mrkdwn {
  return { type: "mrkdwn", text: `*${label}*\n${value}` };
}

function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function formatTaskLine(task: RunReportRow["tasks"][number]): string {
  return `${taskEmoji[task.status]} \`${escapeMrkdwn(task.key, 60)}\` ${escapeMrkdwn(task.title, 150)} · ${formatUsd(task.costUsd.toNumber())}`;
}

/** Per task that ran several coder attempts: which won, and what they cost together. */
function formatAttemptLines(run: RunReportRow): string[] {
  return run.events.filter((event) => event.type === "task.attempts").map((event) => {
    const payload = event.payload as { taskKey?: string; ran?: number; requested?: number; winner?: number | null; totalCostUsd?: string };
    const ran = payload.ran ?? 0;
    const cut = payload.requested && payload.requested > ran ? ` (${payload.requested} asked; the budget covered ${ran})` : "";
    const outcome = payload.winner ? `attempt ${payload.winner} of ${ran} won` : `none of ${ran} finished`;
    return `• \`${escapeMrkdwn(payload.taskKey ?? "?", 60)}\` ${outcome}${cut} · attempts ${formatUsd(Number(payload.totalCostUsd) || 0)}`;
  });
}

function formatEscalationLine(escalation: ModelEscalationDto): string {
  return `• \`${escapeMrkdwn(escalation.taskKey, 60)}\` ${escalation.role}: ${escapeMrkdwn(escalation.from, 100)} → ${escapeMrkdwn(escalation.to, 100)} at iteration ${escalation.iteration}` +
    ` · ${formatUsd(escalation.taskCostBeforeUsd)} spent before, ${formatUsd(escalation.costAfterUsd)} on ${escapeMrkdwn(escalation.to, 100)}`;
}

function formatPullRequestLine(pr: RunReportRow["pullRequests"][number]): string {
  const state = pr.state === "merged" ? "*merged*" : pr.state;
  const title = pr.task ? ` · ${escapeMrkdwn(pr.task.title, 150)}` : "";
  return `• ${linkMrkdwn(pr.url, `#${pr.number}`)} ${state}${title}`;
}
