// Which lines of a PR can carry an inline review comment: GitHub accepts a comment only on
// a line inside a diff hunk, addressed by its number in the new file (side RIGHT).

export type PullFilePatch = { filename: string; patch?: string | null };

/** path -> new-file line numbers that appear in the PR's hunks (added or context lines). */
export function findCommentableLines(files: PullFilePatch[]): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  for (const file of files) {
    const lines = new Set<number>();
    let next = 0;
    let isInHunk = false;
    for (const text of (file.patch ?? "").split("\n")) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
      if (header) {
        next = Number(header[1]);
        isInHunk = true;
        continue;
      }
      // "-" lines exist only in the old file; "\ No newline at end of file" is no line at all.
      if (!isInHunk || text.startsWith("-") || text.startsWith("\\")) continue;
      lines.add(next);
      next += 1;
    }
    result.set(file.filename, lines);
  }
  return result;
}
