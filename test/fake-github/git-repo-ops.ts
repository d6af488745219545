// Plumbing on the fake's bare repositories: seed commits without a clone, resolve refs,
// and compute a PR's files and patches the way GitHub does (three-dot diff from the merge base).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runGit, tryGit } from "./run-git";

export async function initBareRepository(dir: string, defaultBranch: string): Promise<void> {
  await runGit(["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, dir], { cwd: os.tmpdir() });
}

export async function resolveBranch(dir: string, branch: string): Promise<string | null> {
  const sha = await tryGit(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], { cwd: dir });
  return sha?.trim() || null;
}

export async function hasCommit(dir: string, sha: string): Promise<boolean> {
  return (await tryGit(["cat-file", "-e", `${sha}^{commit}`], { cwd: dir })) !== null;
}

export async function updateBranch(dir: string, branch: string, sha: string): Promise<void> {
  await runGit(["update-ref", `refs/heads/${branch}`, sha], { cwd: dir });
}

export async function deleteBranch(dir: string, branch: string): Promise<void> {
  await runGit(["update-ref", "-d", `refs/heads/${branch}`], { cwd: dir });
}

export type CommitFilesInput = {
  branch: string;
  files: Record<string, string | null>;
  message: string;
  /** A new branch starts from this one (the fake passes the default branch); else a root commit. */
  fromBranch?: string;
};

/** Commits files (null deletes) on top of a branch, creating the branch if needed. */
export async function commitFiles(dir: string, input: CommitFilesInput): Promise<string> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "fake-github-index-"));
  const env = { GIT_INDEX_FILE: path.join(tmp, "index") };
  try {
    const parent = (await resolveBranch(dir, input.branch)) ?? (input.fromBranch ? await resolveBranch(dir, input.fromBranch) : null);
    if (parent) await runGit(["read-tree", parent], { cwd: dir, env });
    for (const [file, content] of Object.entries(input.files)) {
      if (content === null) {
        // --index-info with mode 0 removes the entry; --force-remove needs a work tree, which a bare repository lacks.
        await runGit(["update-index", "--index-info"], { cwd: dir, env, input: `0 ${"0".repeat(40)}\t${file}\n` });
        continue;
      }
      const blob = (await runGit(["hash-object", "-w", "--stdin"], { cwd: dir, input: content })).trim();
      await runGit(["update-index", "--add", "--cacheinfo", `100644,${blob},${file}`], { cwd: dir, env });
    }
    const tree = (await runGit(["write-tree"], { cwd: dir, env })).trim();
    const commit = (await runGit(["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", input.message], { cwd: dir })).trim();
    await updateBranch(dir, input.branch, commit);
    return commit;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export type DiffFile = {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  additions: number;
  deletions: number;
  patch: string;
  previousFilename?: string;
};

/** Files changed on head since its merge base with base, each with its unified patch. */
export async function diffFiles(dir: string, baseSha: string, headSha: string): Promise<DiffFile[]> {
  const output = await runGit(["diff", "--no-color", "--no-ext-diff", "-M", "--unified=3", `${baseSha}...${headSha}`], { cwd: dir });
  const sections = output.split(/^(?=diff --git )/m).filter((s) => s.startsWith("diff --git "));
  return sections.map(parseSection);
}

function parseSection(section: string): DiffFile {
  const lines = section.split("\n");
  const header = lines[0].match(/^diff --git a\/(.+) b\/(.+)$/);
  let filename = header?.[2] ?? "";
  let previousFilename: string | undefined;
  let status: DiffFile["status"] = "modified";
  const hunkStart = lines.findIndex((l) => l.startsWith("@@"));
  for (const line of lines.slice(1, hunkStart < 0 ? undefined : hunkStart)) {
    if (line.startsWith("new file mode")) status = "added";
    else if (line.startsWith("deleted file mode")) status = "removed";
    else if (line.startsWith("rename from ")) { status = "renamed"; previousFilename = line.slice(12); }
    else if (line.startsWith("rename to ")) filename = line.slice(10);
  }
  const patchLines = hunkStart < 0 ? [] : lines.slice(hunkStart).filter((l, i, all) => !(i === all.length - 1 && l === ""));
  return {
    filename,
    status,
    additions: patchLines.filter((l) => l.startsWith("+")).length,
    deletions: patchLines.filter((l) => l.startsWith("-")).length,
    patch: patchLines.join("\n"),
    ...(previousFilename ? { previousFilename } : {}),
  };
}

export async function hasCommonHistory(dir: string, baseSha: string, headSha: string): Promise<boolean> {
  return (await tryGit(["merge-base", baseSha, headSha], { cwd: dir })) !== null;
}

export async function countCommits(dir: string, baseSha: string, headSha: string): Promise<number> {
  return Number((await runGit(["rev-list", "--count", `${baseSha}..${headSha}`], { cwd: dir })).trim());
}

/** A real merge commit of head into base, as GitHub's "merge" method makes; null on conflict. */
export async function mergeIntoBranch(dir: string, base: string, headSha: string, message: string): Promise<string | null> {
  const baseSha = await resolveBranch(dir, base);
  if (!baseSha) return null;
  const tree = await tryGit(["merge-tree", "--write-tree", baseSha, headSha], { cwd: dir });
  if (tree === null) return null;
  const commit = (await runGit(["commit-tree", tree.split("\n")[0].trim(), "-p", baseSha, "-p", headSha, "-m", message], { cwd: dir })).trim();
  await updateBranch(dir, base, commit);
  return commit;
}
