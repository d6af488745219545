// The Inngest client: the one way the app sends events, and what workflows/ builds its
// functions on. Its middleware is the factory's retry policy, in one place: every AppError a
// retry cannot fix (`isRetryable: false`, see lib/errors.ts) becomes a NonRetriableError, in
// every step and function body; transient errors (network, 5xx, 429, a lost 409 race) retry.
import { Inngest, Middleware, NonRetriableError } from "inngest";
import { getEnv, publicUrl } from "./env";
import { AppError } from "./errors";

/** The error Inngest should see for `error`: permanent AppErrors become NonRetriableError. */
function applyRetryPolicy(error: unknown): unknown {
  if (error instanceof AppError && !error.isRetryable) return new NonRetriableError(error.message, { cause: error });
  return error;
}

/** Registered on the client below, so it covers every function. */
export class RetryPolicyMiddleware extends Middleware.BaseMiddleware {
  readonly id = "factory-retry-policy";

  /** One step attempt: step.run bodies, where almost all side effects live. */
  override async wrapStepHandler({ next }: Middleware.WrapStepHandlerArgs): Promise<unknown> {
    try {
      return await next();
    } catch (error) {
      throw applyRetryPolicy(error);
    }
  }

  /** Code between steps (validation, plan parsing) throws too; the same policy applies. */
  override async wrapFunctionHandler({ next }: Middleware.WrapFunctionHandlerArgs): Promise<unknown> {
    try {
      return await next();
    } catch (error) {
      throw applyRetryPolicy(error);
    }
  }
}

/** The app id the engine knows this app by; function ids are `${inngestAppId}-<function>`. */
const inngestAppId = "dark-factory";

/** Where the engine reaches this app's serve endpoint (app/api/inngest/route.ts). */
export const inngestServePath = "/api/inngest";

/** INNGEST_DEV is "1" for a dev server (at INNGEST_BASE_URL, else :8288), or the URL of one. */
function devServerUrl(): string | undefined {
  const { INNGEST_DEV: dev, INNGEST_BASE_URL: baseUrl } = getEnv();
  if (!dev || dev === "0" || dev === "false") return undefined;
  if (/^https?:\/\//.test(dev)) return dev.replace(/\/$/, "");
  return baseUrl?.replace(/\/$/, "") ?? "http://localhost:8288";
}

/** Where events are sent; named in errors when the engine is unreachable. */
export function inngestEventApiUrl(): string {
  return getEnv().INNGEST_BASE_URL ?? devServerUrl() ?? "https://inn.gs";
}

/**
 * The origin the app registers with the engine. Fixed, never taken from the request's Host
 * header, so a forged `PUT /api/inngest` cannot point the engine at another host.
 * INNGEST_SERVE_ORIGIN overrides it when the engine reaches the app at an internal address.
 */
export function inngestServeOrigin(): string {
  return (getEnv().INNGEST_SERVE_ORIGIN ?? publicUrl()).replace(/\/$/, "");
}

export const inngest = new Inngest({
  id: inngestAppId,
  isDev: devServerUrl() !== undefined,
  baseUrl: getEnv().INNGEST_BASE_URL ?? devServerUrl(),
  eventKey: getEnv().INNGEST_EVENT_KEY,
  signingKey: getEnv().INNGEST_SIGNING_KEY,
  middleware: [RetryPolicyMiddleware],
});

/** What /api/health probes: the engine this app talks to, and where it should call the app. */
export function inngestEngineTarget() {
  const env = getEnv();
  const mode = devServerUrl() ? "dev" : env.INNGEST_BASE_URL ? "self-hosted" : "cloud";
  return {
    url: mode === "cloud" ? undefined : inngestEventApiUrl().replace(/\/$/, ""),
    mode,
    appId: inngestAppId,
    serveUrl: `${inngestServeOrigin()}${inngestServePath}`,
  } as const;
}
