import { request, type FullConfig } from "@playwright/test";
import { ANALYST } from "./sign-in";

/**
 * Runs once the server is up: waits until it has embedded the demo records
 * it indexes on start, so that every spec starts from the same state instead
 * of racing that work for the model (on 2 busy cores it takes a while).
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const api = await request.newContext({ baseURL: config.projects[0]!.use.baseURL });
  try {
    const signIn = await api.post("/api/auth/sign-in/email", { data: ANALYST });
    if (!signIn.ok()) throw new Error(`e2e setup: signing in as ${ANALYST.email} failed: ${signIn.status()} ${await signIn.text()}`);
    const deadline = Date.now() + 180_000;
    for (;;) {
      const response = await api.get("/api/products?limit=200");
      if (!response.ok()) throw new Error(`e2e setup: GET /api/products failed: ${response.status()} ${await response.text()}`);
      const { products } = (await response.json()) as { products: { capabilities: { semanticSearch: string | null } }[] };
      const indexing = products.filter((product) => product.capabilities.semanticSearch === "indexing").length;
      if (indexing === 0) return;
      if (Date.now() > deadline) throw new Error(`e2e setup: ${indexing} demo products still indexing after 3 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await api.dispose();
  }
}
