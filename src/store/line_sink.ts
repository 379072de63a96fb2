/**
 * Writing lines to a new file in large writes, each line ending in `\n`.
 *
 * @module
 */

/** A file being written line by line; nothing is kept longer than 1 MiB. */
export class LineSink {
  #file: Deno.FsFile;
  #parts: Uint8Array[] = [];
  #pending = 0;
  /** Lines written so far. */
  lines = 0;

  private constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /**
   * Creates `path`, which must not exist (so no file is ever overwritten),
   * with exactly the permission bits `mode`, whatever the umask: a repaired
   * log keeps its permissions, and its quarantine gets the same ones.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LineSink } from "./line_sink.ts";
   * const path = `${await Deno.makeTempDir()}/out`;
   * const sink = await LineSink.create(path, 0o600);
   * await sink.write(new TextEncoder().encode("a"));
   * await sink.close();
   * assert.equal(await Deno.readTextFile(path), "a\n");
   * await assert.rejects(() => LineSink.create(path, 0o600), Deno.errors.AlreadyExists);
   * ```
   */
  static async create(path: string, mode: number): Promise<LineSink> {
    const file = await Deno.open(path, { write: true, createNew: true, mode });
    if (Deno.build.os !== "windows") await Deno.chmod(path, mode);
    return new LineSink(file);
  }

  /** Adds one line (its bytes without the `\n`). */
  async write(line: Uint8Array): Promise<void> {
    this.#parts.push(line, NEWLINE);
    this.#pending += line.length + 1;
    this.lines++;
    if (this.#pending >= 1 << 20) await this.#flush();
  }

  /** Writes what is pending, syncs and closes. */
  async close(): Promise<void> {
    await this.#flush();
    await this.#file.sync();
    this.#file.close();
  }

  /** Closes without caring about what is pending (after a failure). */
  abandon(): void {
    try {
      this.#file.close();
    } catch {
      // Already closed.
    }
  }

  async #flush(): Promise<void> {
    for (const part of this.#parts) {
      for (let at = 0; at < part.length;) at += await this.#file.write(part.subarray(at));
    }
    this.#parts = [];
    this.#pending = 0;
  }
}

const NEWLINE = new Uint8Array([0x0a]);
