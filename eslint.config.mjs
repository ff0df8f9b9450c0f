import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layers, enforced (README "Architecture"): app → components → lib, never
 * back; inside lib, services (use cases) → engines (search, inference, ai,
 * auth) → db → mesh (pure rules). Import cycles are caught by
 * tests/architecture/import-cycles.test.ts (import/no-cycle would quadruple
 * the lint time).
 */
const layer = (target, from, message) => ({ target, from, message });

const boundaries = [
  layer("./lib", ["./app", "./components"], "lib/ never imports app/ or components/: it is the bottom layer."),
  layer("./components", "./app", "components/ never import app/: a page hands its server actions in as props."),
  layer(["./app", "./components"], "./lib/db", "app/ and components/ reach the database through lib/services."),
  layer(
    ["./lib/db", "./lib/ai", "./lib/search", "./lib/inference", "./lib/auth", "./lib/mesh", "./lib/validation", "./lib/net", "./lib/ingest", "./lib/runtime"],
    "./lib/services",
    "Only app/ (and scripts) call the use cases in lib/services; engines and lib/db never do.",
  ),
  layer("./lib/db", ["./lib/ai", "./lib/search", "./lib/inference", "./lib/auth"], "lib/db holds queries only: no models, engines or auth."),
  layer("./lib/ai", ["./lib/db", "./lib/search", "./lib/inference", "./lib/auth"], "lib/ai holds models, providers and prompts only."),
  layer(
    "./lib/mesh",
    ["./lib/db", "./lib/ai", "./lib/search", "./lib/inference", "./lib/auth", "./lib/net", "./lib/runtime", "./lib/env.ts"],
    "lib/mesh is pure domain rules: no database, models, engines or environment.",
  ),
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", ".cache/**", ".ci/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { zones: boundaries }],
    },
  },
  {
    files: ["lib/mesh/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "react", "react/*", "react-dom", "react-dom/*"], message: "lib/mesh is framework-free." },
            { group: ["@prisma/*", "*/generated/*", "pg", "@electric-sql/*"], message: "lib/mesh never touches the database." },
            { group: ["ai", "@ai-sdk/*"], message: "lib/mesh never calls models." },
          ],
        },
      ],
    },
  },
];

export default config;
