// Shared fixtures for agent tests: a sample git repository, a run with a budget, and env
// pointing the real openai-compatible provider at a scripted server.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";

export const scriptedModel = "openai-compatible:scripted-model";
/** $ per million tokens for the scripted model. */
export const scriptedPrice = { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25 };

export function useScriptedModel(baseUrl: string, extraPrices: Record<string, unknown> = {}): void {
  process.env.OPENAI_COMPATIBLE_BASE_URL = baseUrl;
  process.env.FACTORY_MODEL_PRICES = JSON.stringify({ [scriptedModel]: scriptedPrice, ...extraPrices });
  resetEnvCache();
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@localhost", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();
}

/** A temporary git repository with the given files committed on main. */
export function createSampleRepo(files: Record<string, string> = { "README.md": "# Sample\n", "src/greet.js": "export const greet = (name) => `Hello ${name}`;\n" }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "factory-sample-repo-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  git(dir, "init", "--quiet");
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "-m", "initial");
  return dir;
}

export async function createTestRun(options: { budgetUsd: number | string; title?: string }) {
  return db.run.create({
    data: { title: options.title ?? "test run", spec: "test spec", budgetUsd: options.budgetUsd, status: "running" },
    select: { id: true },
  });
}
