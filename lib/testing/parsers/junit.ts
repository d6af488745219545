// JUnit XML, as written by pytest (--junitxml), node --test (--test-reporter=junit), jest-junit,
// Maven Surefire, gotestsum and most CI tools. Parsed with fast-xml-parser.
import { XMLParser } from "fast-xml-parser";
import { countTests, findLocation, relativeTo, trimMessage, type ParsedTests, type TestCase } from "../test-results";

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
