// Serves real git over HTTP through `git http-backend` (CGI), like github.com's smart HTTP.
import { spawn, execFileSync } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

const backendPath = path.join(execFileSync("git", ["--exec-path"]).toString().trim(), "git-http-backend");

export type GitHttpRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  projectRoot: string;
  /** e.g. /owner/name.git/info/refs */
  pathInfo: string;
  query: string;
  remoteUser: string;
};

/** Pipes one smart-HTTP request through git-http-backend and relays its CGI response. */
export function serveGitHttpBackend({ req, res, projectRoot, pathInfo, query, remoteUser }: GitHttpRequest): Promise<void> {
  return new Promise((resolve) => {
    // git-http-backend gets only CGI variables: no secrets from the test process leak into it.
    const child = spawn(backendPath, [], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        // Pushes are allowed for authenticated users, as on GitHub.
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: "http.receivepack",
        GIT_CONFIG_VALUE_0: "true",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: pathInfo,
        QUERY_STRING: query,
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        REMOTE_USER: remoteUser,
        REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
        HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      } as Record<string, string> as unknown as NodeJS.ProcessEnv,
    });
    req.pipe(child.stdin);
    child.stdin.on("error", () => undefined);

    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = findHeaderEnd(head);
      if (!end) return;
      const headerText = head.subarray(0, end.index).toString("latin1");
      let status = 200;
      for (const line of headerText.split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      headersSent = true;
      res.write(head.subarray(end.index + end.length));
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => {
      if (!headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.write(`git http-backend failed (${code}): ${stderr}`);
      }
      res.end();
      resolve();
    });
  });
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | null {
  const crlf = buffer.indexOf("\r\n\r\n");
  const lf = buffer.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return null;
}
