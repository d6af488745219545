// Cross-site request forgery defence for cookie-authenticated mutations. The browser sets
// Sec-Fetch-Site and Origin itself (a page cannot forge them), so a mutation is accepted only
// when the browser says it comes from this site's own pages, and only as JSON, which no HTML
// form can send and which a cross-origin script can send only after a CORS preflight this app
// never answers. Bearer-token calls carry no ambient credential and are not checked.
import { publicUrl } from "../env";
import { AppError } from "../errors";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function isMutation(method: string): boolean {
  return !safeMethods.has(method.toUpperCase());
}

/** The origin browsers send for this app, from FACTORY_PUBLIC_URL. */
export function publicOrigin(): string {
  return new URL(publicUrl()).origin;
}

/**
 * Throws 403 unless the request comes from one of this app's pages: `Sec-Fetch-Site:
 * same-origin`, or (for browsers that do not send it) an `Origin` equal to FACTORY_PUBLIC_URL's.
 */
export function assertSameOriginRequest(request: Request): void {
  const fetchSite = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  if (fetchSite !== null) {
    if (fetchSite === "same-origin") return;
    throw new AppError("forbidden", `Cross-site request refused (Sec-Fetch-Site: ${fetchSite.slice(0, 20)}). Use the factory's own pages, or the API with a bearer token.`);
  }
  const expected = publicOrigin();
  if (origin === expected) return;
  throw new AppError(
    "forbidden",
    origin
      ? `Cross-site request refused: Origin ${origin.slice(0, 200)} is not ${expected} (FACTORY_PUBLIC_URL).`
      : "Request refused: a browser request must carry an Origin header. Scripts should use the API with a bearer token.",
  );
}

/** Throws 415 unless the body is declared as JSON (`application/json`, any parameters). */
export function assertJsonContentType(request: Request): void {
  const mediaType = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType === "application/json") return;
  throw new AppError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.");
}
