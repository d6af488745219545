// The shape every test runner's output is parsed into: counts, each test's outcome, and the
// failing tests with a message and a file:line, so feedback names what broke and where.

export type TestStatus = "passed" | "failed" | "skipped";

/** One test (or a file/package that failed to load, named by its path). */
export type TestCase = {
  name: string;
  status: TestStatus;
  /** Workspace-relative file, when the runner says. */
  file?: string;
  message?: string;
  /** "path:line" of the failure, workspace-relative. */
  location?: string;
};

/** How the results were read: a machine-readable report, or only a summary line / exit code. */
export type ReportFormat = "junit" | "jest-json" | "go-json" | "cargo" | "summary" | "exit-code";

export type ParsedTests = {
  format: ReportFormat;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  /** Every test the report lists; empty for summary/exit-code formats. */
  tests: TestCase[];
  /** Readable output, when the runner's stdout was machine-readable (go test -json). */
  readableOutput?: string;
};

export type FailingTest = { name: string; message: string; location: string | null };

/** A stable identity for comparing runs (base vs branch): file (when known) and name. */
export function testKey(test: Pick<TestCase, "name" | "file">): string {
  return test.file ? `${test.file} › ${test.name}` : test.name;
}

const maxMessageChars = 600;

/** The first meaningful lines of a failure message, trimmed for a prompt. */
export function trimMessage(message: string | undefined | null): string {
  const text = (message ?? "").replace(/\r/g, "").trim();
  return text.length > maxMessageChars ? `${text.slice(0, maxMessageChars)}…` : text;
}

/** Counts from a test list, for formats that list every test. */
export function countTests(tests: TestCase[]): Pick<ParsedTests, "passed" | "failed" | "skipped"> {
  return {
    passed: tests.filter((t) => t.status === "passed").length,
    failed: tests.filter((t) => t.status === "failed").length,
    skipped: tests.filter((t) => t.status === "skipped").length,
  };
}

// A source position in a message or stack: "src/a.ts:12", "/abs/a.test.mjs:3:29", "file:///x/a.js:3".
const positionPattern = /(?:file:\/\/)?((?:\.{0,2}\/)?[\w@.+-]+(?:\/[\w@.+-]+)*\.[A-Za-z]{1,6}):(\d+)(?::\d+)?/g;

/**
 * The first position in `text` inside the workspace (not node_modules, not the runtime's own
 * files), as "relative/path:line". Absolute paths are made relative to `root`.
 */
export function findLocation(text: string | undefined, root?: string): string | null {
  if (!text) return null;
  for (const match of text.matchAll(positionPattern)) {
    const file = relativeTo(match[1], root);
    if (file === null || file.includes("node_modules/") || file.startsWith("node:") || /^(internal|rustc)\//.test(file)) continue;
    return `${file}:${match[2]}`;
  }
  return null;
}

/** `path` relative to root; null for an absolute path outside it. */
export function relativeTo(path: string, root?: string): string | null {
  const clean = path.replace(/^file:\/\//, "");
  if (!clean.startsWith("/")) return clean.replace(/^\.\//, "");
  if (!root) return clean;
  const prefix = root.endsWith("/") ? root : `${root}/`;
  return clean.startsWith(prefix) ? clean.slice(prefix.length) : null;
}
