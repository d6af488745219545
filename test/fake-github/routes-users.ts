// REST: who a credential is. GET /user answers for a user's token (an installation token gets
// GitHub's 403); GET /app answers for the App's JWT. The factory uses them to tell its own
// comments and PRs from everyone else's.
import { FakeHttpError, route, type Route } from "./fake-http";
import { toSimpleUser } from "./github-shapes";
import type { FakeAppOptions } from "./routes-app";

/** The App's slug; its installation tokens act as "<slug>[bot]". */
export const fakeAppSlug = "dark-factory";

export function userRoutes(app: FakeAppOptions | undefined): Route[] {
  return [
    route("GET", "/user", ({ actor, fake }) => {
      if (actor.type === "Bot") throw new FakeHttpError(403, "Resource not accessible by integration");
      return { body: { ...toSimpleUser(fake.shape.baseUrl, actor), name: actor.login, created_at: "2020-01-01T00:00:00Z" } };
    }),

    route("GET", "/app", ({ fake }) => {
      if (!app) throw new FakeHttpError(404, "Not Found");
      const owner = toSimpleUser(fake.shape.baseUrl, { login: "dark-factory-owner", id: 9, type: "User" });
      return {
        body: {
          id: Number(app.appId), slug: fakeAppSlug, node_id: `A_${app.appId}`, owner, name: "Dark Factory", description: null,
          external_url: fake.shape.baseUrl, html_url: `${fake.shape.baseUrl}/apps/${fakeAppSlug}`,
          created_at: "2020-01-01T00:00:00Z", updated_at: "2020-01-01T00:00:00Z",
          permissions: { contents: "write", pull_requests: "write" }, events: ["pull_request_review"],
        },
      };
    }, "app"),
  ];
}
