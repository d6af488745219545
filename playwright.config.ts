import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium (npx playwright install cannot download browsers on these machines).
const chromium = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((path) => existsSync(path));

export default defineConfig({
  testDir: "e2e",
  // The docs screenshot capture runs only through `npm run docs:screenshots`.
  testMatch: process.env.E2E_SCREENSHOTS ? "**/*.screenshots.ts" : "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [["list"]],
  use: {
    headless: true,
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    },
  },
});
