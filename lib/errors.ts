import { ZodError } from "zod";

/** Machine-readable error codes; each maps to one HTTP status. */
const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * Codes a retry can fix: the other side was busy, down or rate limiting, or another worker
 * won a race (409: re-reading the state and trying again is the fix). Every other 4xx is
 * permanent: the same request fails the same way.
 */
const retryableCodes: ReadonlySet<ErrorCode> = new Set(["conflict", "rate_limited", "internal", "bad_gateway", "unavailable"]);

/** One error type for the app. `message` is safe to show a user; `details` too. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Whether a workflow step failing with this error is retried (lib/inngest.ts applies it). */
  readonly isRetryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { details?: unknown; cause?: unknown; isRetryable?: boolean }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options?.details;
    this.isRetryable = options?.isRetryable ?? retryableCodes.has(code);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export type FieldIssue = { field: string; message: string };

/** Flattens zod issues into `{ field, message }` pairs naming each bad field. */
function describeZodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join(".") : "(body)",
    message: issue.message,
  }));
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const fields = describeZodIssues(error);
    return new AppError(
      "bad_request",
      `Invalid input: ${fields.map((f) => `${f.field} (${f.message})`).join(", ")}`,
      { details: { fields } },
    );
  }
  if (isPrismaNotFound(error)) return new AppError("not_found", "Not found");
  return new AppError("internal", "Internal error", { cause: error });
}

function isPrismaNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
}

/** Maps any thrown value to a JSON response; internals go to the log only. */
export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  if (appError.code === "internal") console.error("[factory] unhandled error", error);
  const body: Record<string, unknown> = { error: { code: appError.code, message: appError.message } };
  if (appError.details !== undefined) (body.error as Record<string, unknown>).details = appError.details;
  return Response.json(body, { status: appError.status });
}
