// Input schemas of the workspace tools, as DESIGN.md's tool contract names them. The
// .describe() texts are what the model reads, so they state the rules it must follow.
import { z } from "zod";

const relativePath = (what: string) =>
  z.string().max(4096).describe(`${what}, relative to the workspace root (e.g. "src/index.ts"). Absolute paths and ".." are refused.`);

export const workspaceToolSchemas = {
  list_files: z.object({
    path: relativePath("Directory to list").optional().describe('Directory to list, relative to the workspace root; default "."'),
    depth: z.number().int().min(1).max(10).optional().describe("How many directory levels to show; default 2"),
  }),
  read_file: z.object({
    path: relativePath("File to read"),
    startLine: z.number().int().min(1).optional().describe("First line to show (1-based); default 1"),
    endLine: z.number().int().min(1).optional().describe("Last line to show (inclusive); default the end of the file"),
  }),
  search: z.object({
    pattern: z.string().min(1).max(1000).describe("Regular expression to search file contents for"),
    path: relativePath("Directory or file to search in").optional().describe('Directory or file to search in; default "."'),
    glob: z.string().max(200).optional().describe('Only search files whose names match this glob, e.g. "*.ts"'),
  }),
  write_file: z.object({
    path: relativePath("File to create or overwrite"),
    content: z.string().max(5_000_000).describe("The complete new content of the file"),
  }),
  edit_file: z.object({
    path: relativePath("File to edit"),
    oldText: z.string().describe("Exact text to replace, including whitespace; it must occur exactly once in the file"),
    newText: z.string().describe("Text to put in its place"),
  }),
  run_command: z.object({
    command: z.string().min(1).max(20_000).describe("Shell command, run by /bin/sh in the workspace root, without network access"),
    timeoutSec: z.number().int().min(1).max(3600).optional().describe("Seconds before the command and everything it started are killed; default 120, at most 600"),
  }),
} as const;

export type WorkspaceToolName = keyof typeof workspaceToolSchemas;

export type WorkspaceToolArgs<Name extends WorkspaceToolName> = z.infer<(typeof workspaceToolSchemas)[Name]>;

/** One-line descriptions of each tool, for the model. */
export const workspaceToolDescriptions: Record<WorkspaceToolName, string> = {
  list_files: "List files and directories in the workspace (.git is hidden).",
  read_file: "Read a text file with line numbers. Large files are cut; use startLine/endLine to page.",
  search: "Search file contents with a regular expression; prints path:line:text for each match.",
  write_file: "Create or overwrite a file with the given content. Parent directories are created.",
  edit_file: "Replace one exact, unique occurrence of oldText with newText in a file.",
  run_command:
    "Run a shell command in the workspace (sandboxed, no network). Returns the exit code and the tail of stdout+stderr.",
};
