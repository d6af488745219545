// The retry policy, applied by the client's middleware to every step: permanent AppErrors fail
// at once, transient ones (including a lost 409 race) are retried, a GitHub 401 is not.
import { Inngest } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import { toGitHubError } from "@/lib/github/github-client";
import { createInngestHarness, type InngestHarness } from "@/test/inngest-harness";
import { AppError } from "./errors";
import { inngest as factoryClient, RetryPolicyMiddleware } from "./inngest";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const inngest = new Inngest({ id: "retry-policy-test", logger: quiet, middleware: [RetryPolicyMiddleware] });
let harness: InngestHarness | undefined;
afterEach(async () => harness?.close());

/** Runs a function whose one step throws `makeError()` until its third attempt; returns the attempts. */
async function attemptsUntilDone(name: string, makeError: () => unknown, where: "step" | "body" = "step") {
  let attempts = 0;
  const fn = inngest.createFunction({ id: name, retries: 3, triggers: [{ event: `test/${name}` }] }, async ({ step }) => {
    if (where === "body") {
      attempts++;
      if (attempts < 3) throw makeError();
      return "done";
    }
    return step.run("work", () => {
      attempts++;
      if (attempts < 3) throw makeError();
      return "done";
    });
  });
  harness = await createInngestHarness({ functions: [fn] });
  await harness.send({ name: `test/${name}`, data: {} });
  const run = await harness.waitForRun({ functionId: name });
  return { attempts, status: run.status };
}

function gitHubHttpError(status: number) {
  return Object.assign(new Error(`HTTP ${status}`), { name: "HttpError", status, response: { data: { message: "Bad credentials" }, headers: {} } });
}

describe("retry policy middleware", () => {
  it("is registered on the factory's Inngest client", () => {
    expect(factoryClient.middleware).toContain(RetryPolicyMiddleware);
  });

  it("fails a step at once on a permanent error (400, 404, 422)", async () => {
    for (const code of ["bad_request", "not_found", "unprocessable"] as const) {
      expect(await attemptsUntilDone(`permanent-${code.replace("_", "-")}`, () => new AppError(code, "no retry fixes this"))).toEqual({ attempts: 1, status: "failed" });
    }
  });

  it("retries a 409 'advanced by another worker' until it succeeds", async () => {
    const result = await attemptsUntilDone("lost-race", () => new AppError("conflict", "Agent session s1 was advanced by another worker; this chunk's result is discarded."));
    expect(result).toEqual({ attempts: 3, status: "completed" });
  });

  it("retries transient errors: 503, rate limits and plain network errors", async () => {
    expect(await attemptsUntilDone("unavailable", () => new AppError("unavailable", "engine down"))).toEqual({ attempts: 3, status: "completed" });
    expect(await attemptsUntilDone("network", () => new Error("ECONNRESET"))).toEqual({ attempts: 3, status: "completed" });
  });

  it("never retries a GitHub 401 (bad credentials), but retries a GitHub 502", async () => {
    expect(await attemptsUntilDone("github-401", () => toGitHubError(gitHubHttpError(401), "read acme/widgets"))).toEqual({ attempts: 1, status: "failed" });
    expect(await attemptsUntilDone("github-502", () => toGitHubError(gitHubHttpError(502), "read acme/widgets"))).toEqual({ attempts: 3, status: "completed" });
  });

  it("applies to code between steps too", async () => {
    expect(await attemptsUntilDone("body-permanent", () => new AppError("bad_request", "bad plan"), "body")).toEqual({ attempts: 1, status: "failed" });
  });
});
