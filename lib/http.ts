// Helpers for route handlers: request bodies read as bounded streams (a body over the cap is
// refused with 413 before it is buffered), and one wrapper that maps errors to responses.
import { AppError, errorResponse } from "./errors";

const maxJsonBodyBytes = 256 * 1024;

/**
 * Reads the body as UTF-8 text, at most `limitBytes`. A declared Content-Length over the cap
 * is refused before a byte is read; a chunked body is refused as soon as it passes the cap,
 * and the rest is never read into memory.
 */
export async function readBodyText(request: Request, limitBytes: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limitBytes) throw tooLarge(limitBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limitBytes) {
      // Stop reading, but do not cancel: cancelling destroys the socket before the 413 is
      // written. The answer carries `Connection: close`, so the rest is never read.
      reader.releaseLock();
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a JSON body through `readBodyText`: oversize is a 413, malformed JSON a 400. */
export async function readJsonBody(request: Request, limitBytes = maxJsonBodyBytes): Promise<unknown> {
  const text = await readBodyText(request, limitBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Malformed JSON body");
  }
}

function tooLarge(limitBytes: number): AppError {
  const size = limitBytes >= 1024 * 1024 ? `${Math.round(limitBytes / (1024 * 1024))} MB` : `${Math.round(limitBytes / 1024)} KB`;
  return new AppError("payload_too_large", `Request body is larger than ${size}`);
}

/** Runs a route body and turns any thrown error into the standard JSON error response. */
export async function handleRoute(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    const response = errorResponse(error);
    // A refused upload may still be arriving: closing the connection stops it, instead of
    // the server reading (and discarding) the rest of it.
    if (response.status === 413) response.headers.set("connection", "close");
    return response;
  }
}
