import pg from "pg";

/**
 * Runs `work` on one plain connection to `url`, closed afterwards: for the
 * scripts and tests that create and drop whole databases on a Postgres
 * server (not server-only: the e2e launcher runs without Next's conditions).
 */
export async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
