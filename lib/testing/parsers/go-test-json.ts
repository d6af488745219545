// `go test -json`: one JSON event per line. Tests end with pass/fail/skip; a package that fails
// with no failing test (a build error) is reported under the package's name.
import { countTests, trimMessage, type ParsedTests, type TestCase } from "../test-results";

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
