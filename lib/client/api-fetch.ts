// Browser-side fetch for the factory's JSON API: same-origin cookie auth, one error type.
import type { ApiErrorDto } from "@/lib/runs/run-dto";

export type ApiFieldError = { field: string; message: string };

/** A failed API call. `message` is the server's user-safe message (or a generic one). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: ApiFieldError[];
  readonly details: Record<string, unknown>;

  constructor(options: { status: number; code: string; message: string; details?: Record<string, unknown> }) {
    super(options.message);
    this.name = "ApiError";
    this.status = options.status;
    this.code = options.code;
    this.details = options.details ?? {};
    this.fields = Array.isArray(this.details.fields) ? (this.details.fields as ApiFieldError[]) : [];
  }

  get isUnauthenticated() {
    return this.status === 401;
  }
}

type ApiFetchOptions = Omit<RequestInit, "body"> & { json?: unknown };

/** Calls the API and returns the parsed JSON body; throws ApiError on any non-2xx answer. */
export async function apiFetch<T>(path: string, options: ApiFetchOptions = {}): Promise<T> {
  const { json, headers, ...init } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        // Every mutation is JSON, even without a body: the server refuses cookie-authenticated
        // mutations of any other type (the CSRF defence in lib/auth/session.ts).
        ...(json !== undefined || isMutationMethod(init.method) ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
  } catch {
    throw new ApiError({ status: 0, code: "network_error", message: "The server could not be reached. Check your connection and try again." });
  }

  const body = await readJson(response);
  if (response.ok) return body as T;

  const error = (body as Partial<ApiErrorDto> | null)?.error;
  throw new ApiError({
    status: response.status,
    code: error?.code ?? `http_${response.status}`,
    message: error?.message ?? defaultMessage(response.status),
    details: (error?.details as Record<string, unknown> | undefined) ?? {},
  });
}

function isMutationMethod(method: string | undefined): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes((method ?? "GET").toUpperCase());
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function defaultMessage(status: number) {
  if (status === 401) return "Your session has ended. Log in again.";
  if (status === 404) return "Not found.";
  if (status === 413) return "The request is too large.";
  if (status >= 500) return `The server failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}
