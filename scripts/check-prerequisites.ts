// `npm test` needs a few system programs. Checked first, so a machine without one gets one
// message naming it and the install line, instead of dozens of puzzling test failures.
import { accessSync, constants } from "node:fs";
import path from "node:path";

export type Prerequisite = { name: string; aptPackage: string; why: string; candidates: string[] };

/** Chromium paths Playwright is configured with (playwright.config.ts). */
const chromiumPaths = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

export const prerequisites: Prerequisite[] = [
  { name: "git", aptPackage: "git", why: "workspaces and the local GitHub", candidates: ["git"] },
  { name: "bubblewrap (bwrap)", aptPackage: "bubblewrap", why: "the command sandbox", candidates: ["bwrap"] },
  { name: "ripgrep (rg)", aptPackage: "ripgrep", why: "the agents' search tool", candidates: ["rg"] },
  { name: "Chromium", aptPackage: "chromium", why: "the browser tests", candidates: chromiumPaths },
];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute candidates are checked as they are; bare names are looked up on `searchPath`. */
export function findMissingPrerequisites(searchPath: string, list: Prerequisite[] = prerequisites): Prerequisite[] {
  const dirs = searchPath.split(path.delimiter).filter(Boolean);
  const isFound = (candidate: string) =>
    path.isAbsolute(candidate) ? isExecutable(candidate) : dirs.some((dir) => isExecutable(path.join(dir, candidate)));
  return list.filter((prerequisite) => !prerequisite.candidates.some(isFound));
}

export function describeMissing(missing: Prerequisite[]): string {
  const names = missing.map((p) => `${p.name} (${p.why})`).join(", ");
  return `npm test needs system programs that are missing: ${names}.\nInstall them with: sudo apt-get install -y ${missing.map((p) => p.aptPackage).join(" ")}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = findMissingPrerequisites(process.env.PATH ?? "");
  if (missing.length) {
    console.error(describeMissing(missing));
    process.exit(1);
  }
}
