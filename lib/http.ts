// Helpers for route handlers: bounded JSON bodies and one wrapper that maps errors.
import { AppError, errorResponse } from "./errors";

export const maxJsonBodyBytes = 256 * 1024;

/** Reads a JSON body, refusing oversize (413) and malformed (400) input before parsing further. */
export async function readJsonBody(request: Request, limitBytes = maxJsonBodyBytes): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > limitBytes) throw tooLarge(limitBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Malformed JSON body");
  }
}

function tooLarge(limitBytes: number): AppError {
  return new AppError("payload_too_large", `Request body is larger than ${Math.round(limitBytes / 1024)} KB`);
}

/** Runs a route body and turns any thrown error into the standard JSON error response. */
export async function handleRoute(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    return errorResponse(error);
  }
}
