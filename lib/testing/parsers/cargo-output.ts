// `cargo test`'s own output (libtest has no stable machine-readable format): one
// "test <name> ... ok|FAILED|ignored" line per test, then a "---- <name> stdout ----" section
// per failure with the panic message and its position.
import { countTests, trimMessage, type ParsedTests, type TestCase } from "../test-results";

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
