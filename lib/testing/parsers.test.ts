// Each parser over a report its real runner wrote (fixtures generated with node 20, vitest 4,
// pytest 9, go 1.2x and cargo on this machine; see ./fixtures).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCargoOutput, parseGoTestJson, parseJestJson, parseJunitXml, parseSummaryLine } from "./parsers";
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("test report parsers", () => {
  it("reads node --test's JUnit report: failures with message and place, a file that failed to load", () => {
    const parsed = parseJunitXml(fixture("node-test-junit.xml"), "/tmp/loop-fx/node");
    expect(parsed).toMatchObject({ format: "junit", passed: 1, failed: 4, skipped: 0 });
    expect(parsed.tests.find((t) => t.name === "greets")).toMatchObject({ status: "failed", message: "'helo' == 'hello'", location: "test/greet.test.mjs:3" });
    expect(parsed.tests.find((t) => t.name === "suite > inner fails")).toMatchObject({ status: "failed", message: "boom", location: "test/greet.test.mjs:4" });
    expect(parsed.tests.find((t) => t.name === "test/broken.test.mjs")).toMatchObject({ status: "failed", file: "test/broken.test.mjs" });
    expect(parsed.tests.find((t) => t.name === "adds")).toMatchObject({ status: "passed" });
    // A multi-line assertion message comes whole from the body (node drops its newlines in the attribute).
    expect(parsed.tests.find((t) => t.name === "eq")).toMatchObject({
      message: "Expected values to be strictly equal:\n+ actual - expected\n\n+ 'Goodbye, Ada'\n- 'Goodbye, Ada!'\n               ^",
      location: "test/eq.test.mjs:2",
    });
  });

  it("reads pytest's --junitxml: class and function, the assertion message and file:line", () => {
    const parsed = parseJunitXml(fixture("pytest-junit.xml"));
    expect(parsed).toMatchObject({ passed: 1, failed: 2 });
    expect(parsed.tests.filter((t) => t.status === "failed")).toEqual([
      expect.objectContaining({ name: "test_calc::test_add_wrong", location: "test_calc.py:3", message: expect.stringContaining("AssertionError: two and two") }),
      expect.objectContaining({ name: "test_calc.TestGreeting::test_hello", location: "test_calc.py:5", message: expect.stringContaining("assert 'helo' == 'hello'") }),
    ]);
  });

  it("reads vitest's (jest-compatible) JSON report, including a file that could not load", () => {
    const parsed = parseJestJson(fixture("vitest.json"), "/tmp/fx/vt");
    expect(parsed).toMatchObject({ format: "jest-json", passed: 1, failed: 2 });
    expect(parsed.tests.find((t) => t.name === "calc greets")).toEqual({
      name: "calc greets", file: "calc.test.ts", status: "failed",
      message: "AssertionError: expected 'helo' to be 'hello' // Object.is equality", location: "calc.test.ts:4",
    });
    expect(parsed.tests.find((t) => t.name === "broken.test.ts")).toMatchObject({ status: "failed", message: expect.stringContaining("Cannot find module './missing-module'") });
  });

  it("reads go test -json: subtests without their parent twice, messages with file:line, readable output", () => {
    const parsed = parseGoTestJson(fixture("go-test.jsonl"));
    expect(parsed).toMatchObject({ format: "go-json", passed: 2, failed: 2 });
    expect(parsed.tests.filter((t) => t.status === "failed")).toEqual([
      expect.objectContaining({ name: "TestAddWrong", message: "calc_test.go:13: Add(2, 2) = 4, want 5", location: "calc_test.go:13" }),
      expect.objectContaining({ name: "TestTable/neg", message: "calc_test.go:19: negative broke", location: "calc_test.go:19" }),
    ]);
    expect(parsed.readableOutput).toContain("--- FAIL: TestAddWrong");
    expect(parsed.readableOutput).not.toContain('"Action"');
  });

  it("reads a go package that does not build as one failure naming the compiler error", () => {
    const output = [
      '{"Action":"start","Package":"example.com/calc"}',
      '{"Action":"output","Package":"example.com/calc","Output":"# example.com/calc [example.com/calc.test]\\n"}',
      '{"Action":"output","Package":"example.com/calc","Output":"./calc_test.go:6:5: undefined: Sub\\n"}',
      '{"Action":"output","Package":"example.com/calc","Output":"FAIL\\texample.com/calc [build failed]\\n"}',
      '{"Action":"fail","Package":"example.com/calc","Elapsed":0}',
    ].join("\n");
    const parsed = parseGoTestJson(output);
    expect(parsed.tests).toEqual([expect.objectContaining({ name: "example.com/calc", status: "failed", location: "calc_test.go:6", message: expect.stringContaining("undefined: Sub") })]);
  });

  it("reads cargo test's output: panic message and position per failing test", () => {
    const parsed = parseCargoOutput(fixture("cargo-test.txt"))!;
    expect(parsed).toMatchObject({ format: "cargo", passed: 1, failed: 2 });
    expect(parsed.tests.find((t) => t.name === "tests::adds_wrong")).toMatchObject({
      status: "failed", location: "src/lib.rs:9", message: expect.stringContaining("assertion `left == right` failed: two and two"),
    });
    expect(parsed.tests.find((t) => t.name === "tests::panics")).toMatchObject({ location: "src/lib.rs:11", message: "kaboom" });
    expect(parseCargoOutput("no tests here")).toBeNull();
  });

  it("falls back to the runner's closing line for counts", () => {
    expect(parseSummaryLine(fixture("cargo-test.txt").replace(/^test .*$/gm, "") + "\n== 2 failed, 5 passed in 0.17s ==")).toMatchObject({ passed: 5, failed: 2 });
    expect(parseSummaryLine(" Tests  1 failed | 3 passed (4)\n")).toMatchObject({ passed: 3, failed: 1 });
    expect(parseSummaryLine("Tests:       2 failed, 8 passed, 10 total")).toMatchObject({ passed: 8, failed: 2 });
    expect(parseSummaryLine("# tests 4\n# suites 0\n# pass 3\n# fail 1\n")).toMatchObject({ passed: 3, failed: 1 });
    expect(parseSummaryLine("result: 7 passed, 0 failed\n")).toMatchObject({ passed: 7, failed: 0 });
    expect(parseSummaryLine("make: *** [test] Error 1")).toBeNull();
  });
});

describe("a report cut short", () => {
  it("takes node's closing counts when the JUnit file holds fewer tests than the spec reporter printed", async () => {
    const { readResults } = await import("@/lib/testing/run-tests");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const reportFile = join(mkdtempSync(join(tmpdir(), "junit-cut-")), "report.xml");
    writeFileSync(reportFile, '<testsuites><testcase name="greets by name" file="test/greet.test.js" line="4"><failure message="expected">boom</failure></testcase></testsuites>');
    const output = "✖ greets by name\n✔ is a function\nℹ tests 2\nℹ suites 0\nℹ pass 1\nℹ fail 1\n";
    const parsed = readResults({ format: "junit", reportFile, output });
    expect(parsed).toMatchObject({ passed: 1, failed: 1 });
    expect(parsed?.tests.filter((test) => test.status === "failed").map((test) => test.name)).toEqual(["greets by name"]);
  });
});
