// The pages' Content Security Policy. Scripts run only with this response's nonce (Next puts it
// on its own scripts) or when loaded by such a script ('strict-dynamic'); nothing may frame the
// app; images, fonts and connections stay on this origin, so a rendered spec cannot make the
// browser fetch a third-party URL.

/**
 * `style-src-attr 'unsafe-inline'`: React renders `style` attributes (progress bar widths, chart
 * colours), which a nonce cannot cover. An attribute cannot run script; `<style>` elements
 * still need the nonce (`style-src-elem`).
 */
export function buildContentSecurityPolicy(options: { nonce: string; isDev: boolean; isHttps?: boolean }): string {
  const { nonce, isDev } = options;
  const directives = [
    "default-src 'self'",
    // Dev only: React's dev build uses eval for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.isHttps ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Headers for every response (pages and API): no framing, no MIME sniffing, no full referrers. */
export const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
] as const;

/** API responses are data, never documents: they may not load or frame anything. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
