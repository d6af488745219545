// The engine command lines: the same flags in the real-engine suite, the dev launcher and
// compose.yaml, and an environment the server cannot mistake for its own flags.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { engineArgs, engineEnv, enginePortsFrom, resolveInngestBinary } from "./inngest-engine";

const root = path.resolve(import.meta.dirname, "..");

/** The inngest service's `command:` list in compose.yaml, one item per line. */
function composeInngestCommand(): string[] {
  const compose = readFileSync(path.join(root, "compose.yaml"), "utf8");
  const block = /\n  inngest:\n[\s\S]*?\n    command:\n((?:      - .*\n)+)/.exec(compose);
  if (!block) throw new Error("compose.yaml has no inngest command list");
  return block[1].trim().split("\n").map((line) => line.replace(/^\s*- /, "").replace(/^"(.*)"$/, "$1"));
}

const flagsOf = (args: string[]) => args.filter((arg) => arg.startsWith("-")).sort();

describe("Inngest server command lines", () => {
  it("compose.yaml runs `inngest start` with the flags the real-engine suite uses, plus Redis", () => {
    const suite = engineArgs({
      mode: { kind: "start", eventKey: "k", signingKey: "s", sqliteDir: "/d", postgresUri: "postgres://p", redisUri: "redis://r" },
      ports: enginePortsFrom(8288), appServeUrl: "http://app:3000/api/inngest", host: "0.0.0.0",
    });
    const compose = composeInngestCommand();
    expect(compose.slice(0, 2)).toEqual(["inngest", "start"]);
    expect(flagsOf(compose.slice(2))).toEqual(flagsOf(suite));
    expect(compose[compose.indexOf("-u") + 1]).toBe("http://app:3000/api/inngest");
    expect(compose[compose.indexOf("--port") + 1]).toBe("8288");
  });

  it("strips every INNGEST_* variable from the server's environment", () => {
    expect(engineEnv({ PATH: "/usr/bin", INNGEST_SIGNING_KEY: "x", INNGEST_PORT: "1", INNGEST_DEV: "1" })).toEqual({ PATH: "/usr/bin" });
  });

  it("prefers INNGEST_BIN, and finds no server when none is configured or installed", () => {
    expect(resolveInngestBinary({ INNGEST_BIN: "/opt/inngest" })).toEqual({ path: "/opt/inngest", source: "INNGEST_BIN" });
    const found = resolveInngestBinary({});
    if (found) expect(["inngest-cli", "shared-tools"]).toContain(found.source);
  });
});
