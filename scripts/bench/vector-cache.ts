import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A content-addressed cache of embeddings for the benchmark: the vector of a
 * text under a model, keyed by sha256(model, text). Embedding 100k records
 * with the offline model takes the better part of an hour on 2 cores, so the
 * benchmark computes each distinct text once and reuses it across runs and
 * corpus sizes (a larger corpus begins with the records of a smaller one).
 *
 * Two append-only files: `<name>.f32` (float32 rows of `dimensions` values)
 * and `<name>.keys` (one hex key a line, same order). A run that died while
 * appending leaves a torn tail, which the next open cuts off.
 */
export class VectorCache {
  private readonly index = new Map<string, number>();
  private data: Float32Array;
  private rows = 0;
  readonly vectorsPath: string;
  readonly keysPath: string;

  constructor(
    dir: string,
    readonly model: string,
    readonly dimensions: number,
  ) {
    mkdirSync(dir, { recursive: true });
    const base = path.join(dir, `vectors-${model.replace(/[^a-z0-9.-]+/gi, "_")}-${dimensions}`);
    this.vectorsPath = `${base}.f32`;
    this.keysPath = `${base}.keys`;
    this.data = new Float32Array(0);
    if (!existsSync(this.vectorsPath) || !existsSync(this.keysPath)) {
      writeFileSync(this.vectorsPath, "");
      writeFileSync(this.keysPath, "");
      return;
    }
    const bytes = readFileSync(this.vectorsPath);
    const text = readFileSync(this.keysPath, "utf8");
    const lines = text.split("\n");
    lines.pop(); // after the last newline: "" or a torn line
    const rows = Math.min(Math.floor(bytes.byteLength / (4 * dimensions)), lines.length);
    const keys = lines.slice(0, rows);
    if (keys.some((key) => !/^[0-9a-f]{64}$/.test(key))) throw new Error(`${this.keysPath} is damaged; delete both cache files`);
    truncateSync(this.vectorsPath, rows * 4 * dimensions);
    truncateSync(this.keysPath, rows * 65);
    this.data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + rows * 4 * dimensions));
    keys.forEach((key, row) => this.index.set(key, row));
    this.rows = rows;
  }

  get size(): number {
    return this.rows;
  }

  key(text: string): string {
    return createHash("sha256").update(this.model).update("\0").update(text).digest("hex");
  }

  get(text: string): Float32Array | undefined {
    const row = this.index.get(this.key(text));
    return row === undefined ? undefined : this.data.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** Appends new vectors to the files and the in-memory cache; texts already known are skipped. */
  add(entries: { text: string; vector: ArrayLike<number> }[]): void {
    const fresh = new Map<string, ArrayLike<number>>();
    for (const { text, vector } of entries) {
      if (vector.length !== this.dimensions) throw new Error(`Expected ${this.dimensions} dimensions, got ${vector.length}`);
      const key = this.key(text);
      if (!this.index.has(key) && !fresh.has(key)) fresh.set(key, vector);
    }
    if (fresh.size === 0) return;
    const block = new Float32Array(fresh.size * this.dimensions);
    [...fresh.values()].forEach((vector, i) => block.set(vector, i * this.dimensions));
    // Keys after vectors: a key is only written for a complete row.
    appendFileSync(this.vectorsPath, new Uint8Array(block.buffer));
    appendFileSync(this.keysPath, [...fresh.keys()].join("\n") + "\n");
    const needed = (this.rows + fresh.size) * this.dimensions;
    if (needed > this.data.length) {
      const grown = new Float32Array(Math.max(needed, this.data.length * 2));
      grown.set(this.data.subarray(0, this.rows * this.dimensions));
      this.data = grown;
    }
    this.data.set(block, this.rows * this.dimensions);
    for (const key of fresh.keys()) this.index.set(key, this.rows++);
  }
}
