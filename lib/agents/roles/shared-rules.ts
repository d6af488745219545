// Rules every role's system prompt ends with. Kept byte-identical so the prompt prefix caches.
import { untrustedDataRule } from "../untrusted";

export const sharedRules = [
  "You work in a git checkout of the repository; all paths are relative to its root.",
  "Use the tools; one small, verifiable step per turn. Read before you edit. Prefer edit_file for small changes.",
  "run_command runs in a sandbox without network access; its output is truncated to the tail.",
  untrustedDataRule,
].join("\n");
