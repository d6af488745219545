// REST: GitHub App installation lookup and installation access tokens (JWT-authenticated).
import { randomBytes } from "node:crypto";
import { FakeHttpError, route, type Route } from "./fake-http";

export type FakeAppOptions = {
  appId: string;
  /** PEM public key matching the App's private key; JWTs are verified with it. */
  publicKey: string;
  installationId?: number;
  /** Lifetime of issued installation tokens (GitHub: 1 hour). */
  tokenTtlSec?: number;
};

export function appRoutes(app: FakeAppOptions | undefined, issueToken: (token: string, expiresAt: string) => void): Route[] {
  const installationId = app?.installationId ?? 4242;
  return [
    route("GET", "/repos/:owner/:repo/installation", ({ params, fake }) => {
      const repo = fake.repoOrThrow(params.owner, params.repo);
      if (!app) throw new FakeHttpError(404, "Not Found");
      return {
        body: {
          id: installationId, app_id: Number(app.appId), target_type: "User", account: { login: repo.owner, id: 1, type: "User" },
          repository_selection: "all", permissions: { contents: "write", pull_requests: "write", checks: "read", statuses: "read" },
        },
      };
    }, "app"),

    route("POST", "/app/installations/:id/access_tokens", ({ params }) => {
      if (!app || Number(params.id) !== installationId) throw new FakeHttpError(404, "Not Found");
      const token = `ghs_${randomBytes(18).toString("hex")}`;
      const expiresAt = new Date(Date.now() + (app.tokenTtlSec ?? 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      issueToken(token, expiresAt);
      return { status: 201, body: { token, expires_at: expiresAt, permissions: { contents: "write", pull_requests: "write" }, repository_selection: "all" } };
    }, "app"),
  ];
}
