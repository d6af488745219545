// The factory's retry policy, in one place: an Inngest middleware on the client turns every
// AppError a retry cannot fix (`isRetryable: false`, see lib/errors.ts) into a
// NonRetriableError, in every step and every function body. Transient errors (network, 5xx,
// 429, a 409 lost race) keep Inngest's retries.
import { Middleware, NonRetriableError } from "inngest";
import { AppError } from "../lib/errors";

/** The error Inngest should see for `error`: permanent AppErrors become NonRetriableError. */
export function applyRetryPolicy(error: unknown): unknown {
  if (error instanceof AppError && !error.isRetryable) return new NonRetriableError(error.message, { cause: error });
  return error;
}

/** Registered on the Inngest client (workflows/client.ts), so it covers every function. */
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

/**
 * Kept so step bodies that still wrap themselves keep compiling; the middleware applies the
 * same policy to every step, so this is now a pass-through. Remove once no caller is left.
 * @deprecated The retry policy lives in RetryPolicyMiddleware.
 */
export async function failFastOnPermanentErrors<T>(work: () => Promise<T>): Promise<T> {
  return work();
}
