import { describe, expect, it } from "vitest";
import { runPageUrl } from "@/lib/runs/to-run-dto";
import { seedFinishedRun } from "@/test/seed-finished-run";
import { buildRunReport } from "./build-run-report";
import { slackLimits, type SlackBlock, type SlackMessage } from "./slack-message";

async function buildOrThrow(runId: string): Promise<SlackMessage> {
  const message = await buildRunReport({ runId });
  if (!message) throw new Error("expected a report");
  return message;
}

/** Every piece of text in the message, as Slack would parse it. */
function allTexts(message: SlackMessage): string[] {
  return [message.text, ...message.blocks.flatMap(blockTexts)];
}

function blockTexts(block: SlackBlock): string[] {
  if (block.type === "header") return [block.text.text];
  if (block.type === "section") return [block.text?.text ?? "", ...(block.fields ?? []).map((f) => f.text)];
  if (block.type === "context") return block.elements.map((e) => e.text);
  if (block.type === "actions") return block.elements.flatMap((e) => [e.text.text, e.url]);
  return [];
}

function fieldTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === "section" && block.fields ? block.fields.map((f) => f.text) : []));
}

function sectionText(message: SlackMessage, heading: string): string | undefined {
  for (const block of message.blocks) {
    if (block.type === "section" && block.text?.text.startsWith(`*${heading}*\n`)) return block.text.text;
  }
  return undefined;
}

describe("buildRunReport", () => {
  it("reports a succeeded run: cost of budget, duration, tasks, PR links with merged marked, cost per merged PR and a run link", async () => {
    const { run, repository } = await seedFinishedRun({
      status: "succeeded",
      budgetUsd: 5,
      spentUsd: 1.24,
      durationMs: 725_000,
      tasks: [
        { key: "api", title: "Add the route", status: "succeeded", costUsd: 0.41, pr: { number: 12, state: "merged" } },
        { key: "tests", status: "succeeded", costUsd: 0.3, pr: { number: 13, state: "merged" } },
        { key: "docs", status: "succeeded", costUsd: 0.2, pr: { number: 14, state: "open" } },
        { key: "ui", status: "failed", costUsd: 0.33 },
      ],
    });
    const message = await buildOrThrow(run.id);

    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: ":white_check_mark: Run succeeded", emoji: true } });
    expect(allTexts(message).join("\n")).toContain(`*Add a /health endpoint*\n\`acme/${repository.name}\``);
    expect(fieldTexts(message)).toEqual(
      expect.arrayContaining([
        "*Cost*\n$1.24 of $5.00 budget",
        "*Duration*\n12m 5s",
        "*Tasks*\n3/4 succeeded",
        "*PRs*\n3 opened, 2 merged",
        "*Cost per merged PR*\n$0.62",
      ]),
    );
    const prs = sectionText(message, "Pull requests");
    expect(prs).toContain(`<https://github.com/acme/${repository.name}/pull/12|#12> *merged* · Add the route`);
    expect(prs).toContain(`<https://github.com/acme/${repository.name}/pull/14|#14> open`);
    expect(sectionText(message, "Tasks")).toContain(":x: `ui` Task ui · $0.33");
    expect(sectionText(message, "Reason")).toBeUndefined();
    expect(message.blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ text: { text: "Open run" }, url: runPageUrl(run.id) }] });
    expect(message.text).toContain("Run succeeded: Add a /health endpoint");
    expect(message.text).toContain(runPageUrl(run.id));
  });

  it("reports a budget_exhausted run with its reason and no cost per merged PR when nothing merged", async () => {
    const reason = "The budget of $2.00 would be exceeded by the next model call (task api, coder).";
    const { run } = await seedFinishedRun({
      status: "budget_exhausted",
      budgetUsd: 2,
      spentUsd: 1.97,
      error: reason,
      durationMs: 3_900_000,
      tasks: [{ key: "api", status: "budget_exhausted", costUsd: 1.97, pr: { number: 3, state: "open" } }],
    });
    const message = await buildOrThrow(run.id);

    expect(message.blocks[0]).toMatchObject({ type: "header", text: { text: ":money_with_wings: Run stopped: budget exhausted" } });
    expect(sectionText(message, "Reason")).toBe(`*Reason*\n${reason}`);
    expect(fieldTexts(message)).toEqual(expect.arrayContaining(["*Cost*\n$1.97 of $2.00 budget", "*Duration*\n1h 5m", "*Tasks*\n0/1 succeeded"]));
    expect(fieldTexts(message).some((text) => text.startsWith("*Cost per merged PR*"))).toBe(false);
  });

  it("escapes a hostile title, task title and error so they cannot ping a channel or forge a link", async () => {
    const hostile = "<!channel> & <https://evil.example/login|Open run>";
    const { run } = await seedFinishedRun({
      title: hostile,
      status: "failed",
      error: `boom ${hostile}`,
      tasks: [{ key: "api", title: hostile, status: "failed" }],
    });
    const message = await buildOrThrow(run.id);
    const texts = allTexts(message).join("\n");

    expect(texts).not.toContain("<!channel>");
    expect(texts).not.toContain("<https://evil.example");
    expect(texts).toContain("&lt;!channel&gt; &amp; &lt;https://evil.example/login|Open run&gt;");
    expect(message.text).toContain("&lt;!channel&gt;");
    expect(sectionText(message, "Reason")).toContain("boom &lt;!channel&gt;");
  });

  it("stays within Slack's limits for a run with hundreds of tasks, saying how many are not listed", async () => {
    const tasks = Array.from({ length: 150 }, (_, i) => ({
      key: `t${i}`,
      title: `A fairly long task title number ${i} & more words ${"x".repeat(120)}`,
      status: "succeeded" as const,
      pr: { number: 1000 + i, state: "merged" as const },
    }));
    const { run } = await seedFinishedRun({ title: "<".repeat(200), status: "succeeded", spentUsd: 3, tasks, error: "&".repeat(5000) });
    const message = await buildOrThrow(run.id);

    expect(message.blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
    for (const block of message.blocks) {
      if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(slackLimits.headerText);
      if (block.type === "section") {
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(slackLimits.sectionText);
        for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(slackLimits.fieldText);
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(slackLimits.fields);
      }
    }
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(sectionText(message, "Tasks")).toMatch(/_…and \d+ more_$/);
    expect(sectionText(message, "Pull requests")).toMatch(/_…and \d+ more_$/);
    expect(fieldTexts(message)).toContain("*Cost per merged PR*\n$0.02");
  });

  it("returns null for a run that does not exist", async () => {
    expect(await buildRunReport({ runId: "missing-run" })).toBeNull();
  });
});
