// The JSON report of jest (--json) and vitest (--reporter=json), which share one shape.
import { z } from "zod";
import { countTests, findLocation, relativeTo, trimMessage, type ParsedTests, type TestCase } from "../test-results";

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
