/**
 * Part of `npm install` (postinstall): makes the embedded database's template
 * (lib/db/pglite-template.ts: PGlite with pgvector, migrated), so that the
 * first `npm run dev` runs neither initdb nor the migrations.
 */
import { loadMigrations } from "../lib/db/migrate";
import { clusterTemplate, templateFile } from "../lib/db/pglite-template";

const migrations = await loadMigrations();
await clusterTemplate(migrations);
console.log(`embedded database template: ${templateFile(migrations)}`);
