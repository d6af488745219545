// Points the app at the fake GitHub the way production points it at github.com: the API URL,
// the factory's token, and a fresh data directory for the clones it makes.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetEnvCache } from "@/lib/env";
import { resetGitHubClients } from "@/lib/github/app-auth";
import type { FakeGitHub } from "./fake-github";
import { secretCanaries } from "./secret-canaries";

export function pointAppAtFakeGitHub(github: FakeGitHub, dataDirPrefix: string): void {
  process.env.GITHUB_API_URL = github.apiUrl;
  process.env.GITHUB_TOKEN = secretCanaries.GITHUB_TOKEN;
  process.env.FACTORY_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), dataDirPrefix));
  resetEnvCache();
  resetGitHubClients();
}
