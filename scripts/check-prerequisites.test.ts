// A machine without a test prerequisite gets one message naming it and the apt-get line.
import { execFile } from "node:child_process";
import { mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeMissing, findMissingPrerequisites, prerequisites } from "./check-prerequisites";

const root = path.resolve(import.meta.dirname, "..");

describe("test prerequisites", () => {
  it("finds every prerequisite on this machine's PATH", () => {
    expect(findMissingPrerequisites(process.env.PATH ?? "").map((p) => p.name)).toEqual([]);
  });

  it("names exactly the missing programs and their apt packages", () => {
    const onlyGit = mkdtempSync(path.join(os.tmpdir(), "prereq-path-"));
    symlinkSync(findOnPath("git"), path.join(onlyGit, "git"));
    const missing = findMissingPrerequisites(onlyGit, prerequisites.filter((p) => p.aptPackage !== "chromium"));
    expect(missing.map((p) => p.aptPackage)).toEqual(["bubblewrap", "ripgrep"]);
    expect(describeMissing(missing)).toContain("Install them with: sudo apt-get install -y bubblewrap ripgrep");
  });

  it("stops `npm run test:prerequisites` with one message when bubblewrap is missing", async () => {
    const pathWithoutBwrap = mkdtempSync(path.join(os.tmpdir(), "prereq-path-"));
    for (const tool of ["git", "rg", "node"]) symlinkSync(findOnPath(tool), path.join(pathWithoutBwrap, tool));
    const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "scripts", "check-prerequisites.ts")], { env: { ...process.env, PATH: pathWithoutBwrap } }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bubblewrap (bwrap)");
    expect(result.stderr).toContain("sudo apt-get install -y bubblewrap");
    expect(result.stderr).not.toContain("ripgrep");
  });
});

function findOnPath(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      return realpathSync(candidate);
    } catch {
      // not here
    }
  }
  throw new Error(`${name} not on PATH`);
}
