import { db } from "./client";

/** Record queries (loading and validation arrive with the records capability). */

export async function sampleRecords(productId: string, limit = 5): Promise<{ key: string; data: Record<string, unknown> }[]> {
  const rows = await db().record.findMany({
    where: { productId },
    orderBy: { key: "asc" },
    take: limit,
    select: { key: true, data: true },
  });
  return rows.map((row) => ({ key: row.key, data: row.data as Record<string, unknown> }));
}
