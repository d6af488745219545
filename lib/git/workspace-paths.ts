// Where mirrors and workspaces live under the data dir. Names come from the database and
// GitHub, so they are checked before they become path segments.
import path from "node:path";
import { getEnv } from "../env";
import { AppError } from "../errors";

export type RepositoryRef = {
  owner: string;
  name: string;
  /** Clone URL without credentials, e.g. https://github.com/owner/name.git or file:///srv/x.git */
  remoteUrl: string;
  defaultBranch: string;
};

const segmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function getDataDir(): string {
  return path.resolve(getEnv().FACTORY_DATA_DIR);
}

export function getMirrorPath(repo: Pick<RepositoryRef, "owner" | "name">): string {
  for (const [field, value] of [["owner", repo.owner], ["name", repo.name]]) {
    if (!segmentPattern.test(value) || value.includes("..")) {
      throw new AppError("bad_request", `Invalid repository ${field} "${value}": letters, digits, ".", "_" and "-" only`);
    }
  }
  return path.join(getDataDir(), "repos", repo.owner, `${repo.name}.git`);
}

export function getWorkspacesDir(): string {
  return path.join(getDataDir(), "workspaces");
}

export function getWorkspacePath(sessionId: string): string {
  if (!segmentPattern.test(sessionId) || sessionId.includes("..")) {
    throw new AppError("bad_request", `Invalid session id "${sessionId}": letters, digits, ".", "_" and "-" only`);
  }
  return path.join(getWorkspacesDir(), sessionId);
}

/** Refuses URLs carrying credentials: the token must only ever travel per command. */
export function assertCleanRemoteUrl(remoteUrl: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(remoteUrl)) {
    throw new AppError("bad_request", "The repository URL must not contain credentials; the token is sent per command");
  }
}
