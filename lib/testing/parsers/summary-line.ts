// When no report exists, the counts from the runner's closing line: pytest, vitest, jest,
// mocha, TAP (node --test), or the plain "N passed, N failed".
import type { ParsedTests } from "../test-results";

type Counts = { passed: number; failed: number; skipped: number };

const patterns: { pattern: RegExp; read: (match: RegExpMatchArray) => Partial<Counts> }[] = [
  // vitest: "Tests  1 failed | 3 passed (4)"
  { pattern: /Tests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/g, read: (m) => readPairs(m[1]) },
  // jest: "Tests:       1 failed, 3 passed, 4 total"
  { pattern: /Tests:\s+([^\n]*total)/g, read: (m) => readPairs(m[1]) },
  // pytest: "==== 2 failed, 1 passed in 0.17s ====" or "2 failed, 1 passed in 0.17s"
  { pattern: /^=*\s*((?:\d+ (?:failed|passed|skipped|errors?|xfailed|xpassed|deselected|warnings?)(?:, )?)+) in [\d.]+s/gm, read: (m) => readPairs(m[1]) },
  // TAP / node --test: "# pass 3" and "# fail 1"
  { pattern: /^# pass (\d+)\n# fail (\d+)/gm, read: (m) => ({ passed: Number(m[1]), failed: Number(m[2]) }) },
  // node --test's spec reporter: "ℹ pass 3" and "ℹ fail 1"
  { pattern: /^ℹ pass (\d+)\nℹ fail (\d+)/gm, read: (m) => ({ passed: Number(m[1]), failed: Number(m[2]) }) },
  // mocha: "3 passing" ... "1 failing"
  { pattern: /^\s*(\d+) passing[^\n]*(?:\n\s*(\d+) pending)?(?:\n\s*(\d+) failing)?/gm, read: (m) => ({ passed: Number(m[1]), skipped: Number(m[2] ?? 0), failed: Number(m[3] ?? 0) }) },
  // the plain closing line: "N passed, N failed" (", N skipped" may follow)
  { pattern: /^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm, read: (m) => ({ passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) }) },
];

export function parseSummaryLine(output: string): ParsedTests | null {
  let best: { index: number; counts: Partial<Counts> } | null = null;
  for (const { pattern, read } of patterns) {
    for (const match of output.matchAll(pattern)) {
      if (!best || (match.index ?? 0) >= best.index) best = { index: match.index ?? 0, counts: read(match) };
    }
  }
  if (!best) return null;
  return { format: "summary", passed: best.counts.passed ?? 0, failed: best.counts.failed ?? 0, skipped: best.counts.skipped ?? 0, tests: [] };
}

function readPairs(text: string): Partial<Counts> {
  const counts: Partial<Counts> = {};
  for (const [, amount, word] of text.matchAll(/(\d+) (\w+)/g)) {
    const n = Number(amount);
    if (word === "passed") counts.passed = (counts.passed ?? 0) + n;
    else if (/^(failed|errors?)$/.test(word)) counts.failed = (counts.failed ?? 0) + n;
    else if (/^(skipped|todo|pending)$/.test(word)) counts.skipped = (counts.skipped ?? 0) + n;
  }
  return counts;
}
