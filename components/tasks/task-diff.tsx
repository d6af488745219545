"use client";
// The iteration's diff, one collapsible section per file, syntax-highlighted (react-diff-view +
// refractor), with the review's comments placed under the lines they are about.
import { useMemo, type ReactNode } from "react";
import { Decoration, Diff, getChangeKey, Hunk, parseDiff, tokenize, type ChangeData, type FileData, type HunkData } from "react-diff-view";
import { refractor } from "refractor";
import "react-diff-view/style/index.css";

type ReviewComment = { path: string; line: number; body: string };

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  ts: "typescript", tsx: "tsx", js: "javascript", jsx: "jsx", mjs: "javascript", cjs: "javascript", json: "json",
  py: "python", go: "go", rs: "rust", java: "java", kt: "kotlin", rb: "ruby", php: "php", cs: "csharp", c: "c", h: "c",
  cpp: "cpp", hpp: "cpp", swift: "swift", css: "css", scss: "scss", html: "markup", xml: "markup", svg: "markup",
  md: "markdown", yml: "yaml", yaml: "yaml", sh: "bash", bash: "bash", sql: "sql", toml: "ini", ini: "ini",
};

// react-diff-view expects refractor 3's highlight (an array of nodes); refractor 5 returns a root.
const refractorAdapter = { highlight: (text: string, language: string) => refractor.highlight(text, language).children };

function languageOf(path: string) {
  const extension = path.split(".").pop()?.toLowerCase() ?? "";
  const language = LANGUAGE_BY_EXTENSION[extension];
  return language && refractor.registered(language) ? language : null;
}

export function TaskDiff({ diff, comments, testId }: { diff: string; comments: ReviewComment[]; testId?: string }) {
  const files = useMemo(() => {
    try {
      return parseDiff(diff, { nearbySequences: "zip" });
    } catch {
      return null;
    }
  }, [diff]);
  if (!files) {
    return (
      <pre data-testid={testId} className="overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800">
        {diff}
      </pre>
    );
  }
  if (files.length === 0) return <p className="text-sm text-slate-500">The diff is empty: nothing changed against the base.</p>;
  return (
    <div data-testid={testId} className="space-y-2">
      {files.map((file) => (
        <DiffFile key={`${file.oldPath}->${file.newPath}`} file={file} comments={comments.filter((comment) => comment.path === pathOf(file))} />
      ))}
    </div>
  );
}

function pathOf(file: FileData) {
  return file.type === "delete" ? file.oldPath : file.newPath;
}

function DiffFile({ file, comments }: { file: FileData; comments: ReviewComment[] }) {
  const path = pathOf(file);
  const language = languageOf(path);
  const tokens = useMemo(() => {
    if (!language) return undefined;
    try {
      return tokenize(file.hunks, { highlight: true, refractor: refractorAdapter, language });
    } catch {
      return undefined;
    }
  }, [file.hunks, language]);
  const { widgets, unplaced } = useMemo(() => placeComments(file.hunks, comments), [file.hunks, comments]);
  const added = file.hunks.flatMap((hunk) => hunk.changes).filter((change) => change.type === "insert").length;
  const removed = file.hunks.flatMap((hunk) => hunk.changes).filter((change) => change.type === "delete").length;

  return (
    <details open data-testid={`diff-file-${path}`} className="overflow-hidden rounded-md border border-slate-200">
      <summary className="flex cursor-pointer flex-wrap items-center gap-2 bg-slate-50 px-3 py-1.5 font-mono text-xs text-slate-800 select-none">
        <span className="break-all">{path}</span>
        <span className="text-emerald-700">+{added}</span>
        <span className="text-red-700">−{removed}</span>
        {comments.length > 0 && <span className="rounded-full bg-amber-100 px-1.5 text-amber-900">{comments.length} comment{comments.length === 1 ? "" : "s"}</span>}
      </summary>
      <div className="task-diff overflow-x-auto text-xs">
        <Diff viewType="unified" diffType={file.type} hunks={file.hunks} tokens={tokens} widgets={widgets}>
          {(hunks: HunkData[]) =>
            hunks.flatMap((hunk) => [
              <Decoration key={`decoration-${hunk.content}`}>
                <span className="px-2 text-slate-500">{hunk.content}</span>
              </Decoration>,
              <Hunk key={`hunk-${hunk.content}`} hunk={hunk} />,
            ])
          }
        </Diff>
      </div>
      {unplaced.length > 0 && (
        <ul className="space-y-1 border-t border-slate-200 p-2">
          {unplaced.map((comment, index) => (
            <li key={index}>
              <ReviewCommentNote comment={comment} note={`line ${comment.line}, outside the diff`} />
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

/** A comment goes under the line it names: the new side's line (GitHub's RIGHT side). */
function placeComments(hunks: HunkData[], comments: ReviewComment[]) {
  const widgets: Record<string, ReactNode> = {};
  const unplaced: ReviewComment[] = [];
  const byLine = new Map<number, ChangeData>();
  for (const change of hunks.flatMap((hunk) => hunk.changes)) {
    if (change.type === "insert") byLine.set(change.lineNumber, change);
    if (change.type === "normal") byLine.set(change.newLineNumber, change);
  }
  const grouped = new Map<string, ReviewComment[]>();
  for (const comment of comments) {
    const change = byLine.get(comment.line);
    if (!change) {
      unplaced.push(comment);
      continue;
    }
    const key = getChangeKey(change);
    grouped.set(key, [...(grouped.get(key) ?? []), comment]);
  }
  for (const [key, list] of grouped) {
    widgets[key] = (
      <div className="space-y-1 p-2">
        {list.map((comment, index) => (
          <ReviewCommentNote key={index} comment={comment} />
        ))}
      </div>
    );
  }
  return { widgets, unplaced };
}

function ReviewCommentNote({ comment, note }: { comment: ReviewComment; note?: string }) {
  return (
    <div data-testid="review-comment" data-path={comment.path} data-line={comment.line} className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 font-sans text-sm text-slate-900">
      <p className="text-xs font-medium text-amber-900">
        Review · {comment.path}:{comment.line}
        {note ? ` · ${note}` : ""}
      </p>
      <p className="mt-0.5 whitespace-pre-wrap">{comment.body}</p>
    </div>
  );
}
