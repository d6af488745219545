// Parsers of test runners' machine-readable output into ParsedTests.
import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import { type ParsedTests, countTests, findLocation, relativeTo, trimMessage, type TestCase } from "./test-results";

// When no report exists, the counts from the runner's closing line: pytest, vitest, jest,
// mocha, TAP (node --test), or the plain "N passed, N failed".
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

// JUnit XML, as written by pytest (--junitxml), node --test (--test-reporter=junit), jest-junit,
// Maven Surefire, gotestsum and most CI tools. Parsed with fast-xml-parser.
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  // Prefixed: node --test repeats a failure as an attribute named like the <failure> element.
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  isArray: (name) => ["testsuite", "testcase", "failure", "error", "skipped"].includes(name),
  // Messages stay text: "1 == 2" must not become a number.
  parseAttributeValue: false,
  parseTagValue: false,
});

export function parseJunitXml(xml: string, root?: string): ParsedTests {
  const document = parser.parse(xml) as XmlNode;
  const tests: TestCase[] = [];
  const top = (document.testsuites ?? document) as XmlNode;
  collect(top, [], tests, root);
  return { format: "junit", ...countTests(tests), tests };
}

function collect(node: XmlNode, suites: string[], into: TestCase[], root?: string): void {
  for (const testcase of asNodes(node.testcase)) into.push(toTestCase(testcase, suites, root));
  for (const suite of asNodes(node.testsuite)) {
    const name = typeof suite["@_name"] === "string" ? suite["@_name"] : "";
    // pytest names its one top-level suite "pytest"; it says nothing about the test.
    const isNamed = name && name !== "pytest" && relativeTo(name, root) === name;
    collect(suite, isNamed ? [...suites, name] : suites, into, root);
  }
}

function toTestCase(testcase: XmlNode, suites: string[], root?: string): TestCase {
  const rawName = String(testcase["@_name"] ?? "(unnamed)");
  const classname = typeof testcase["@_classname"] === "string" ? testcase["@_classname"] : "";
  // node --test names a file that failed to load by its absolute path.
  const asFile = rawName.startsWith("/") ? relativeTo(rawName, root) : null;
  const name = asFile ?? ([...(classname && classname !== "test" ? [classname] : suites), rawName].join(classname && classname !== "test" ? "::" : " > "));
  const problem = [...asNodes(testcase.failure), ...asNodes(testcase.error)][0];
  const file = typeof testcase["@_file"] === "string" ? (relativeTo(testcase["@_file"], root) ?? undefined) : (asFile ?? undefined);
  if (problem) {
    const body = textOf(problem);
    const attribute = typeof problem["@_message"] === "string" ? problem["@_message"] : "";
    const message = attribute ? messageFromBody(attribute, body) : firstLine(body);
    return { name, status: "failed", file, message: trimMessage(message), location: findLocation(body, root) ?? findLocation(message, root) ?? undefined };
  }
  const status = asNodes(testcase.skipped).length > 0 || testcase.skipped === "" ? "skipped" : "passed";
  return { name, status, file };
}

function asNodes(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === "object" && item !== null ? (item as XmlNode) : { "#text": String(item) }));
}

function textOf(node: XmlNode): string {
  return typeof node["#text"] === "string" ? node["#text"] : "";
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/**
 * node --test flattens a multi-line message into its attribute (newlines dropped); the body
 * has it whole, wrapped in the error's inspection. Other runners keep newlines as entities.
 */
function messageFromBody(attribute: string, body: string): string {
  const head = attribute.slice(0, 30);
  const start = attribute.includes("\n") ? -1 : body.indexOf(head);
  if (start < 0) return attribute;
  const lines: string[] = [];
  for (const line of body.slice(start).split("\n")) {
    if (/^\s+at |^\s*code: '|^\}/.test(line)) break;
    const end = line.match(/^(.*?)\]? \{$/);
    lines.push(end ? end[1] : line);
    if (end) break;
  }
  return lines.join("\n").trim() || attribute;
}

// The JSON report of jest (--json) and vitest (--reporter=json), which share one shape.
const reportSchema = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string().optional(),
      message: z.string().optional(),
      assertionResults: z.array(
        z.object({
          fullName: z.string().optional(),
          title: z.string(),
          ancestorTitles: z.array(z.string()).optional(),
          status: z.string(),
          failureMessages: z.array(z.string()).nullish(),
        }),
      ),
    }),
  ),
});

export function parseJestJson(json: string, root?: string): ParsedTests {
  const report = reportSchema.parse(JSON.parse(json));
  const tests: TestCase[] = [];
  for (const file of report.testResults) {
    const path = relativeTo(file.name, root) ?? file.name;
    // A file that could not load (syntax error, missing import) has no assertions but a message.
    if (file.assertionResults.length === 0 && file.status === "failed") {
      tests.push({ name: path, file: path, status: "failed", message: trimMessage(file.message), location: findLocation(file.message, root) ?? undefined });
      continue;
    }
    for (const result of file.assertionResults) {
      const name = result.fullName || [...(result.ancestorTitles ?? []), result.title].join(" ");
      const status = result.status === "passed" ? "passed" : result.status === "failed" ? "failed" : "skipped";
      const failure = (result.failureMessages ?? []).join("\n");
      tests.push(
        status === "failed"
          ? { name, file: path, status, message: trimMessage(firstLines(failure)), location: findLocation(failure, root) ?? undefined }
          : { name, file: path, status },
      );
    }
  }
  return { format: "jest-json", ...countTests(tests), tests };
}

/** The message without its stack trace. */
function firstLines(failure: string): string {
  return failure.split("\n").filter((line) => !/^\s+at /.test(line)).join("\n");
}

// `go test -json`: one JSON event per line. Tests end with pass/fail/skip; a package that fails
// with no failing test (a build error) is reported under the package's name.
type GoEvent = { Action: string; Package?: string; Test?: string; Output?: string };

export function parseGoTestJson(output: string): ParsedTests {
  const outputs = new Map<string, string[]>();
  const results = new Map<string, TestCase>();
  const failedPackages = new Set<string>();
  const readable: string[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) {
      if (line.trim()) readable.push(line); // build errors arrive as plain text
      continue;
    }
    let event: GoEvent;
    try {
      event = JSON.parse(line) as GoEvent;
    } catch {
      continue;
    }
    const key = `${event.Package ?? ""}\u0000${event.Test ?? ""}`;
    if (event.Action === "output" && event.Output !== undefined) {
      readable.push(event.Output.replace(/\n$/, ""));
      outputs.set(key, [...(outputs.get(key) ?? []), event.Output]);
    } else if (["pass", "fail", "skip"].includes(event.Action)) {
      if (!event.Test) {
        if (event.Action === "fail") failedPackages.add(event.Package ?? "");
        continue;
      }
      const status = event.Action === "pass" ? "passed" : event.Action === "fail" ? "failed" : "skipped";
      const lines = (outputs.get(key) ?? []).filter((text) => !/^(=== (RUN|PAUSE|CONT)|--- (FAIL|PASS|SKIP):)/.test(text.trim()));
      const message = lines.join("").trim();
      const location = message.match(/^\s*([\w./-]+\.go):(\d+):/m);
      results.set(key, {
        name: event.Test,
        file: undefined,
        status,
        ...(status === "failed" ? { message: trimMessage(message), location: location ? `${location[1]}:${location[2]}` : undefined } : {}),
      });
    }
  }
  // A parent whose subtest failed says nothing more than the subtest.
  const tests = [...results.values()].filter(
    (test) => !(test.status === "failed" && [...results.values()].some((other) => other.status === "failed" && other.name.startsWith(`${test.name}/`))),
  );
  for (const pkg of failedPackages) {
    if ([...results.entries()].some(([key, test]) => key.startsWith(`${pkg}\u0000`) && test.status === "failed")) continue;
    const message = (outputs.get(`${pkg}\u0000`) ?? []).join("").trim() || readable.join("\n");
    const location = message.match(/([\w./-]+\.go):(\d+)/);
    tests.push({ name: pkg, status: "failed", message: trimMessage(message), location: location ? `${location[1].replace(/^\.\//, "")}:${location[2]}` : undefined });
  }
  return { format: "go-json", ...countTests(tests), tests, readableOutput: readable.join("\n") };
}

// `cargo test`'s own output (libtest has no stable machine-readable format): one
// "test <name> ... ok|FAILED|ignored" line per test, then a "---- <name> stdout ----" section
// per failure with the panic message and its position.
export function parseCargoOutput(output: string): ParsedTests | null {
  const results = new Map<string, TestCase>();
  for (const match of output.matchAll(/^test (\S+) \.\.\. (ok|FAILED|ignored)/gm)) {
    results.set(match[1], { name: match[1], status: match[2] === "ok" ? "passed" : match[2] === "FAILED" ? "failed" : "skipped" });
  }
  if (results.size === 0) return null;
  for (const section of output.split(/^---- /m).slice(1)) {
    const header = section.match(/^(\S+) stdout ----\n/);
    const test = header && results.get(header[1]);
    if (!test) continue;
    const body = section.slice(header[0].length).split(/\n\n(?:failures:|----)/)[0];
    const panic = body.match(/panicked at ([^:\s]+):(\d+)(?::\d+)?:\n?/);
    test.location = panic ? `${panic[1]}:${panic[2]}` : undefined;
    const message = body
      .split("\n")
      .filter((line) => !/^thread '.*' .*panicked at|^note: run with `RUST_BACKTRACE|^stack backtrace:|^\s+\d+: |^\s+at /.test(line))
      .join("\n");
    test.message = trimMessage(message);
  }
  const tests = [...results.values()];
  return { format: "cargo", ...countTests(tests), tests };
}
