/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM + data files) and the Postgres driver stay plain Node modules.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
