/**
 * Exact cosine nearest neighbours by brute force over float32 rows: the
 * ground truth of vector-only recall for the engines and the peers (same
 * vectors, same run). Pure: no database, no model.
 */
export class ExactIndex {
  private readonly unit: Float32Array;
  private readonly rows = new Map<string, number>();
  readonly size: number;

  constructor(
    readonly keys: readonly string[],
    vectors: Float32Array,
    readonly dimensions: number,
  ) {
    if (vectors.length !== keys.length * dimensions) throw new Error(`Expected ${keys.length} × ${dimensions} values, got ${vectors.length}`);
    this.size = keys.length;
    keys.forEach((key, row) => this.rows.set(key, row));
    if (this.rows.size !== keys.length) throw new Error("Keys repeat");
    this.unit = new Float32Array(vectors.length);
    for (let row = 0; row < this.size; row++) {
      const offset = row * dimensions;
      const norm = Math.hypot(...vectors.subarray(offset, offset + dimensions));
      if (norm === 0) throw new Error(`Vector of ${keys[row]} is all zeros`);
      for (let i = 0; i < dimensions; i++) this.unit[offset + i] = vectors[offset + i]! / norm;
    }
  }

  private normalised(query: ArrayLike<number>): Float64Array {
    if (query.length !== this.dimensions) throw new Error(`Expected ${this.dimensions} dimensions, got ${query.length}`);
    const norm = Math.hypot(...Array.from(query));
    if (norm === 0) throw new Error("The query vector is all zeros");
    return Float64Array.from(query, (x) => x / norm);
  }

  /**
   * The exact cosine distance from `query` to the vector of `key`: how recall
   * judges a result, whatever distance the index that returned it reports
   * (a quantised index reports approximate ones).
   */
  distance(query: ArrayLike<number>, key: string): number {
    const row = this.rows.get(key);
    if (row === undefined) throw new Error(`No vector for ${key}`);
    const q = this.normalised(query);
    const offset = row * this.dimensions;
    let dot = 0;
    for (let i = 0; i < this.dimensions; i++) dot += q[i]! * this.unit[offset + i]!;
    return 1 - dot;
  }

  /** The k nearest rows to `query` by cosine distance (1 − cosine), closest first; ties by key. */
  nearest(query: ArrayLike<number>, k: number): { key: string; distance: number }[] {
    const q = this.normalised(query);
    // The best k so far, sorted closest first (k is small: insertion beats a heap).
    const best: { row: number; distance: number }[] = [];
    const before = (a: { row: number; distance: number }, b: { row: number; distance: number }) =>
      a.distance < b.distance || (a.distance === b.distance && this.keys[a.row]! < this.keys[b.row]!);
    for (let row = 0; row < this.size; row++) {
      const offset = row * this.dimensions;
      let dot = 0;
      for (let i = 0; i < this.dimensions; i++) dot += q[i]! * this.unit[offset + i]!;
      const candidate = { row, distance: 1 - dot };
      if (best.length === k && !before(candidate, best[k - 1]!)) continue;
      let at = best.length === k ? k - 1 : best.length;
      while (at > 0 && before(candidate, best[at - 1]!)) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = candidate;
    }
    return best.map(({ row, distance }) => ({ key: this.keys[row]!, distance }));
  }

  /** The row of a key's vector, normalised (for building the peers' indexes from the same vectors). */
  vector(row: number): Float32Array {
    return this.unit.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }
}
