import { defineConfig } from "prisma/config";

// Used by the Prisma CLI (generate). The app itself connects through a driver
// adapter (lib/db/client.ts) and applies migrations with scripts/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
