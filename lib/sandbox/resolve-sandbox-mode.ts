// Decides how commands run: under bubblewrap, or (only when the operator chose it
// explicitly with FACTORY_SANDBOX=none) unsandboxed with a scrubbed environment.
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { getEnv } from "../env";

export type SandboxMode =
  | { kind: "bwrap"; bwrapPath: string }
  | { kind: "none" }
  | { kind: "unavailable"; message: string };

export function resolveSandboxMode(
  options: { setting?: "bwrap" | "none"; bwrapPath?: string | null } = {},
): SandboxMode {
  const setting = options.setting ?? getEnv().FACTORY_SANDBOX;
  if (setting === "none") return { kind: "none" };
  const bwrapPath = options.bwrapPath === undefined ? findExecutable("bwrap") : options.bwrapPath;
  if (bwrapPath) return { kind: "bwrap", bwrapPath };
  return {
    kind: "unavailable",
    message:
      "Refusing to run the command: bubblewrap (bwrap) is not installed, so it cannot be sandboxed. " +
      "Install it (Debian/Ubuntu: apt-get install -y bubblewrap), or set FACTORY_SANDBOX=none to run " +
      "commands unsandboxed on this host (unsafe: agents could then read and change anything the app can).",
  };
}

let hasWarned = false;

/** Printed once per process, because running agent commands unsandboxed is dangerous. */
export function warnUnsandboxedOnce(): void {
  if (hasWarned) return;
  hasWarned = true;
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "!! WARNING: FACTORY_SANDBOX=none. Agent and setup commands run UNSANDBOXED on  !!",
      "!! this host: they can read your files, reach the network and change anything !!",
      "!! this user can. Only the environment is scrubbed. Install bubblewrap instead. !!",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "",
    ].join("\n"),
  );
}

// A fixed list of system directories: only lib/env.ts reads process.env, and a sandbox
// binary picked up from a user-controlled PATH would defeat the point.
function findExecutable(name: string): string | null {
  for (const dir of ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin"]) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}
