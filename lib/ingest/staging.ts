import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { once } from "node:events";

/**
 * Checked rows of an upload, kept in a private temporary file while the body
 * is still arriving, so that the database is touched only once the whole
 * upload is read and checked (one short write), and memory stays flat.
 */
export class StagedRows<T> {
  private count = 0;

  private constructor(
    private readonly folder: string,
    private readonly file: string,
    private readonly out: WriteStream,
  ) {}

  static async create<T>(): Promise<StagedRows<T>> {
    const folder = await mkdtemp(path.join(tmpdir(), "mesh-portal-upload-"));
    const file = path.join(folder, "rows.ndjson");
    return new StagedRows<T>(folder, file, createWriteStream(file, { mode: 0o600 }));
  }

  get size(): number {
    return this.count;
  }

  async add(row: T): Promise<void> {
    this.count++;
    if (!this.out.write(`${JSON.stringify(row)}\n`)) await once(this.out, "drain");
  }

  /** The rows in the order they were added, `size` at a time. */
  async *batches(size: number): AsyncGenerator<T[]> {
    await new Promise<void>((resolve, reject) => this.out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    let batch: T[] = [];
    const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) {
      batch.push(JSON.parse(line) as T);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  async discard(): Promise<void> {
    // A file still opening when its folder is removed fails to open: nothing is lost, the rows are discarded.
    this.out.on("error", () => undefined);
    this.out.destroy();
    await rm(this.folder, { recursive: true, force: true });
  }
}
