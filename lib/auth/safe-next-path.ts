// Where the browser may go after logging in: a path on this site, nothing else. Pure (no
// Node APIs), so the login page and its form share it.

/**
 * `next` when it is a same-origin relative path, else "/". Refused: anything not starting with
 * one "/", "//" and "/\" (protocol-relative), backslashes anywhere, control characters (browsers
 * drop tabs and newlines, so "/\t/evil.example" becomes "//evil.example"), and the login page.
 */
export function toSafeNextPath(next: string | null | undefined): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//")) return "/";
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let resolved: URL;
  try {
    resolved = new URL(next, "http://factory.invalid");
  } catch {
    return "/";
  }
  if (resolved.origin !== "http://factory.invalid") return "/";
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (path === "/login" || path.startsWith("/login?") || path.startsWith("/login/") || path.startsWith("/login#")) return "/";
  return path;
}
