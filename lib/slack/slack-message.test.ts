import { describe, expect, it } from "vitest";
import { formatUsd } from "@/lib/money";
import { escapeMrkdwn, formatDuration, joinLinesWithin, linkMrkdwn } from "./slack-message";

describe("slack text", () => {
  it("escapes Slack's control characters so text cannot mention a channel or forge a link", () => {
    expect(escapeMrkdwn("<!channel> & <https://evil.example|x>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;");
  });

  it("truncates at a character boundary, never inside an entity, and stays within the limit", () => {
    const escaped = escapeMrkdwn("a&b", 4);
    expect(escaped).toBe("a…");
    const long = escapeMrkdwn("&".repeat(1000), 3000);
    expect(long.length).toBeLessThanOrEqual(3000);
    expect(long).toMatch(/^(&amp;)+…$/);
  });

  it("links only http(s) URLs and keeps a | in the URL from ending it", () => {
    expect(linkMrkdwn("https://github.com/a/b/pull/1?x=1|y", "#1")).toBe("<https://github.com/a/b/pull/1?x=1%7Cy|#1>");
    expect(linkMrkdwn("javascript:alert(1)", "#1")).toBe("#1");
  });

  it("joins lines within a limit and says how many were left out", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${"x".repeat(50)}`);
    const joined = joinLinesWithin(lines, 1000);
    expect(joined.length).toBeLessThanOrEqual(1000);
    const kept = joined.split("\n").length - 1;
    expect(joined.endsWith(`_…and ${100 - kept} more_`)).toBe(true);
    expect(joinLinesWithin(["a", "b"], 1000)).toBe("a\nb");
  });

  it("formats money and durations the way the report shows them", () => {
    expect(formatUsd(1.234)).toBe("$1.234");
    expect(formatUsd(1234.5)).toBe("$1,234.50");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatDuration(725_000)).toBe("12m 5s");
    expect(formatDuration(3_900_000)).toBe("1h 5m");
    expect(formatDuration(45_000)).toBe("45s");
  });
});
