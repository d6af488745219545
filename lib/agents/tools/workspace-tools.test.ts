import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCanaries } from "@/test/secret-canaries";
import { commitAll } from "@/lib/git/branches";
import { runWorkspaceTool, workspaceToolSchemas } from "./workspace-tools";
import { searchFiles } from "./file-tools";

let root: string;
let workspace: string;
let outside: string;
const run = (name: string, args: unknown, extra: { maxOutputBytes?: number } = {}) =>
  runWorkspaceTool(name, args, { workspace, commandTimeoutSec: 20, ...extra });

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "workspace-tools-test-"));
  workspace = path.join(root, "ws");
  outside = path.join(root, "outside");
  mkdirSync(path.join(workspace, "src", "lib"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.txt"), "TOP-SECRET-OUTSIDE\n");
  writeFileSync(path.join(workspace, "README.md"), "# demo\n");
  writeFileSync(path.join(workspace, "src", "app.ts"), "export const a = 1;\nexport const b = 2;\nexport const a2 = 1;\n");
  writeFileSync(path.join(workspace, "src", "lib", "util.ts"), "export function add(x: number, y: number) {\n  return x + y;\n}\n");
  symlinkSync(path.join(outside, "secret.txt"), path.join(workspace, "leak.txt"));
  symlinkSync(outside, path.join(workspace, "outside-dir"));
  symlinkSync(path.join(outside, "not-yet.txt"), path.join(workspace, "dangling.txt"));
  execFileSync("git", ["init", "--quiet", workspace]);
  execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@e", "commit", "--quiet", "--allow-empty", "-m", "init"], { cwd: workspace });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("hostile paths are refused with a reason the model can read", () => {
  it.each([
    ["read_file", { path: "../../etc/passwd" }, /points outside the workspace/],
    ["read_file", { path: "/etc/passwd" }, /absolute paths are not allowed/],
    ["read_file", { path: "leak.txt" }, /symbolic link that points outside/],
    ["read_file", { path: "outside-dir/secret.txt" }, /symbolic link that points outside/],
    ["list_files", { path: "outside-dir" }, /symbolic link that points outside/],
    ["search", { pattern: "SECRET", path: "../outside" }, /points outside the workspace/],
    ["edit_file", { path: "leak.txt", oldText: "TOP", newText: "x" }, /symbolic link that points outside/],
  ])("%s %j", async (name, args, reason) => {
    const result = await run(name, args);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(reason);
    expect(result.output).not.toMatch(/TOP-SECRET|root:x:0/);
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("TOP-SECRET-OUTSIDE\n");
  });

  it.each([
    [{ path: "../outside/pwned.txt", content: "x" }, "outside/pwned.txt", /points outside the workspace/],
    [{ path: "/tmp/workspace-tools-abs-escape.txt", content: "x" }, "/tmp/workspace-tools-abs-escape.txt", /absolute paths are not allowed/],
    [{ path: "outside-dir/new/deep.txt", content: "x" }, "outside/new", /symbolic link that points outside/],
    [{ path: "dangling.txt", content: "x" }, "outside/not-yet.txt", /symbolic link whose target does not exist/],
  ])("write_file %j stays inside", async (args, created, reason) => {
    const result = await run("write_file", args);
    expect(result).toMatchObject({ isError: true, changedFiles: [] });
    expect(result.output).toMatch(reason);
    expect(existsSync(path.resolve(root, created))).toBe(false);
  });

  it("refuses writes into .git", async () => {
    for (const target of [".git/config", ".git/hooks/pre-commit", "src/../.git/HEAD"]) {
      const result = await run("write_file", { path: target, content: "x" });
      expect(result.isError).toBe(true);
      expect(result.output).toMatch(/under \.git\/ cannot be written/);
    }
  });
});

describe("run_command", () => {
  it("returns the exit code and the files the command changed", async () => {
    const result = await run("run_command", { command: "echo hello > made.txt && echo done && exit 3" });
    expect(result).toMatchObject({ isError: false, changedFiles: ["made.txt"] });
    expect(result.output).toBe("exit code: 3\ndone\n");
  });

  it("cannot reach the network, write outside the workspace, or see secrets", async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const result = await run("run_command", {
        command: [
          `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => console.log('CONNECTED')).on('error', (e) => console.log('NET', e.code))"`,
          `echo pwned > '${outside}/from-command.txt'`,
          `cat '${outside}/secret.txt'`,
          "env; cat /proc/self/environ /proc/1/environ",
        ].join("; "),
      });
      expect(result.output).toMatch(/NET (ECONNREFUSED|ENETUNREACH)/);
      expect(result.output).not.toContain("CONNECTED");
      expect(existsSync(path.join(outside, "from-command.txt"))).toBe(false);
      expect(result.output).not.toContain("TOP-SECRET");
      expect(result.output).toContain("HOME=");
      expect(findCanaries(result.output)).toEqual([]);
      // Nothing had to be redacted: no secret reached the sandbox in the first place.
      expect(result.output).not.toContain("[redacted]");
    } finally {
      server.close();
    }
  });

  it("cannot plant git config that host-side git would then run", async () => {
    const bare = path.join(root, "no-git-ws");
    const marker = path.join(root, "host-side-filter-ran");
    mkdirSync(bare);
    const plant = [
      "git init -q .",
      `git config filter.evil.clean 'touch ${marker}; cat'`,
      `git config core.fsmonitor 'touch ${marker}'`,
      "echo '* filter=evil' > .gitattributes",
      "echo a > a.txt && git -c user.name=x -c user.email=x@x add a.txt && echo b >> a.txt",
    ].join(" && ");
    const result = await runWorkspaceTool("run_command", { command: plant }, { workspace: bare });
    expect(result.output).toMatch(/^exit code: 0/);
    expect(result.changedFiles).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    // The planted config is live: a plain host-side `git status` would have run it.
    execFileSync("git", ["status", "--porcelain"], { cwd: bare });
    expect(existsSync(marker)).toBe(true);
  });

  it("a nested repository the command creates cannot make host-side git run its config", async () => {
    const marker = path.join(root, "host-side-submodule-ran");
    const plant = [
      "mkdir sub && cd sub && git init -q .",
      `git config filter.evil.clean 'touch ${marker}; cat' && git config core.fsmonitor 'touch ${marker}'`,
      "echo '* filter=evil' > .gitattributes && echo a > a.txt",
      "git -c user.name=x -c user.email=x@x add -A && git -c user.name=x -c user.email=x@x commit -qm sub",
      "echo b >> a.txt && cd ..",
      "printf '[submodule \"sub\"]\\n\\tpath = sub\\n\\turl = ./sub\\n' > .gitmodules",
    ].join(" && ");
    expect((await run("run_command", { command: plant })).output).toMatch(/^exit code: 0/);
    // The factory commits (which registers sub as a gitlink), then the next command snapshots status.
    await commitAll({ workspace, message: "checkpoint" });
    expect((await run("run_command", { command: "true" })).output).toMatch(/^exit code: 0/);
    expect(existsSync(marker)).toBe(false);
    // The trap is live: plain host-side git recursing into the submodule would have run it.
    execFileSync("git", ["status", "--porcelain"], { cwd: workspace });
    expect(existsSync(marker)).toBe(true);
  });

  it("reports a timeout as an error, and caps output to its tail", async () => {
    const slow = await run("run_command", { command: "echo started; sleep 30", timeoutSec: 1 });
    expect(slow.isError).toBe(true);
    expect(slow.output).toMatch(/exit code: 124\ntimed out after 1s/);
    expect(slow.output).toContain("started");

    const long = await run("run_command", { command: "seq 1 50000" }, { maxOutputBytes: 2000 });
    expect(long.output).toMatch(/^exit code: 0\noutput truncated/);
    expect(long.output.endsWith("50000\n")).toBe(true);
    expect(long.output.length).toBeLessThan(2200);
  });
});

describe("file tools", () => {
  it("write_file creates parent directories and reports the change", async () => {
    const result = await run("write_file", { path: "src/new/deep/file.ts", content: "line1\nline2\n" });
    expect(result).toEqual({ output: "Created src/new/deep/file.ts (12 bytes, 2 lines).", isError: false, changedFiles: ["src/new/deep/file.ts"] });
    expect(readFileSync(path.join(workspace, "src/new/deep/file.ts"), "utf8")).toBe("line1\nline2\n");
  });

  it("read_file numbers lines, pages with startLine/endLine and says how to read on", async () => {
    const all = await run("read_file", { path: "src/app.ts" });
    expect(all.output).toBe("     1\texport const a = 1;\n     2\texport const b = 2;\n     3\texport const a2 = 1;");
    const part = await run("read_file", { path: "src/app.ts", startLine: 2, endLine: 2 });
    expect(part.output).toBe("     2\texport const b = 2;\n[lines 2-2 of 3; call read_file with startLine=3 to read on]");
    writeFileSync(path.join(workspace, "big.txt"), Array.from({ length: 5000 }, (_, i) => `row ${i + 1}`).join("\n"));
    const big = await run("read_file", { path: "big.txt" }, { maxOutputBytes: 1000 });
    expect(Buffer.byteLength(big.output)).toBeLessThan(1200);
    expect(big.output).toMatch(/\[lines 1-\d+ of 5000; call read_file with startLine=\d+ to read on\]$/);
    expect((await run("read_file", { path: "missing.ts" })).output).toMatch(/does not exist/);
  });

  it("edit_file replaces one exact match and explains every other case", async () => {
    const notFound = await run("edit_file", { path: "src/app.ts", oldText: "export const c = 3;", newText: "x" });
    expect(notFound).toMatchObject({ isError: true, changedFiles: [] });
    expect(notFound.output).toMatch(/oldText was not found in src\/app\.ts/);

    const ambiguous = await run("edit_file", { path: "src/app.ts", oldText: "= 1;", newText: "= 9;" });
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.output).toMatch(/found 2 times in src\/app\.ts \(at lines 1, 3\); include more surrounding lines/);

    const ok = await run("edit_file", { path: "src/app.ts", oldText: "export const b = 2;", newText: "export const b = '$&';" });
    expect(ok).toMatchObject({ isError: false, changedFiles: ["src/app.ts"] });
    expect(readFileSync(path.join(workspace, "src/app.ts"), "utf8")).toBe("export const a = 1;\nexport const b = '$&';\nexport const a2 = 1;\n");
    expect((await run("edit_file", { path: "src/app.ts", oldText: "", newText: "x" })).output).toMatch(/oldText is empty/);
  });

  it("list_files hides .git and respects depth", async () => {
    const shallow = await run("list_files", { depth: 1 });
    expect(shallow.output.split("\n")).toEqual(expect.arrayContaining(["src/", "README.md", "leak.txt (symlink)"]));
    expect(shallow.output).not.toMatch(/\.git\b(?!hub)/);
    expect(shallow.output).not.toContain("src/app.ts");
    const deep = await run("list_files", { path: "src", depth: 3 });
    expect(deep.output).toContain("src/lib/util.ts");
  });

  it("search finds matches with path and line, filters by glob, and reports bad patterns", async () => {
    const hit = await run("search", { pattern: "return x \\+ y" });
    expect(hit.output).toBe("src/lib/util.ts:2:  return x + y;");
    expect((await run("search", { pattern: "export", glob: "*.md" })).output).toBe("No matches.");
    const bad = await run("search", { pattern: "(unclosed" });
    expect(bad.isError).toBe(true);
    expect(bad.output).toMatch(/search failed/);
  });

  it("search falls back to git grep where ripgrep is missing", async () => {
    const ctx = { workspace };
    const hit = await searchFiles({ pattern: "return x \\+ y" }, ctx, { backend: "git-grep" });
    expect(hit.output).toBe("src/lib/util.ts:2:  return x + y;");
    const scoped = await searchFiles({ pattern: "export", path: "src", glob: "*.ts" }, ctx, { backend: "git-grep" });
    expect(scoped.output).toContain("src/lib/util.ts:1:export function add");
    expect((await searchFiles({ pattern: "export", glob: "*.md" }, ctx, { backend: "git-grep" })).output).toBe("No matches.");
  });

  it("turns invalid arguments and unknown tools into readable errors", async () => {
    expect(await run("read_file", {})).toMatchObject({ isError: true, output: expect.stringMatching(/Invalid arguments for read_file: path:/) });
    expect(await run("read_file", { path: "README.md", startLine: 0 })).toMatchObject({ isError: true });
    expect((await run("delete_everything", {})).output).toMatch(/Unknown tool "delete_everything". Available tools: list_files/);
    expect(Object.keys(workspaceToolSchemas)).toEqual(["list_files", "read_file", "search", "write_file", "edit_file", "run_command"]);
  });
});
