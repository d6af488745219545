// The real-engine suite needs the Inngest server and a production build. Without a server it
// is skipped, and says so loudly; without a build it fails, naming the command to run first.
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { resolveInngestBinary } from "@/scripts/inngest-engine";
import { buildDir } from "./real-engine";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the Inngest server binary; "" when none was found and the suite is skipped. */
    inngestBinary: string;
  }
}

export default function setup(project: TestProject) {
  const binary = resolveInngestBinary();
  if (!binary) {
    console.warn(
      "\n[engine] SKIPPED: the real-engine suite found no Inngest server. Set INNGEST_BIN, or install the inngest-cli " +
        "optional dependency (npm install), or put the server at ../shared/tools/inngest.\n",
    );
    project.provide("inngestBinary", "");
    return;
  }
  if (!existsSync(binary.path)) {
    throw new Error(`[engine] INNGEST_BIN=${binary.path} does not exist: point it at the Inngest server binary, or unset it.`);
  }
  if (!existsSync(path.join(buildDir(), "BUILD_ID"))) {
    throw new Error(`[engine] No production build in ${buildDir()}: run \`npm run build\` first (NEXT_DIST_DIR selects the directory).`);
  }
  console.log(`[engine] real Inngest server: ${binary.path} (${binary.source}); app build: ${buildDir()}`);
  project.provide("inngestBinary", binary.path);
}
