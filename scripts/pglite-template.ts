/**
 * Part of `npm install` (postinstall): makes the embedded database's cluster
 * template for the installed PGlite (lib/db/pglite-template.ts), so that the
 * first `npm run dev` need not run initdb.
 */
import { clusterTemplate, templateFile } from "../lib/db/pglite-template";

await clusterTemplate();
console.log(`embedded database template: ${templateFile()}`);
