/**
 * The I/O half of a push's record (`export/export_cursor.ts` and
 * `export/sent_ids.ts` are the pure half): the index
 * `.kittify/export-state.json` and each target's file of sent id keys
 * under `.kittify/export-sent/`, both git-ignored (one record per clone).
 * Keys are appended after each accepted request, so a push cut short (a
 * refused request, a crash, Ctrl-C) sends the rest next time and nothing
 * twice but the request in flight. The index is replaced whole, once the
 * push ends.
 *
 * @module
 */
import { dirname, join } from "node:path";
import {
  cursorProblem,
  type CursorState,
  idsFileOf,
  type Marks,
  parseCursor,
  wasSent,
} from "../export/export_cursor.ts";
import { type IdKey, KEY_BYTES, keyBytes, SentIds } from "../export/sent_ids.ts";
import type { ExportRow } from "../export/otlp_mapping.ts";
import { replaceFile } from "../merge/replace_file.ts";

/** Where a clone keeps its push records' index. */
export const EXPORT_STATE = join(".kittify", "export-state.json");

/** Where a clone keeps its files of sent ids (one per target). */
export const EXPORT_SENT = join(".kittify", "export-sent");

/** One target's record, open for a push. */
export class PushRecord {
  /** The keys of the ids sent to the target before this push. */
  readonly sent: SentIds;
  /** Keys the marks of an older index counted as sent, to carry over into the file. */
  readonly #carried: number[] = [];
  /** Whether the index needs writing: ids appended, marks carried over, or it was unreadable. */
  #changed: boolean;

  private constructor(
    readonly target: string,
    readonly indexPath: string,
    readonly idsPath: string,
    readonly index: CursorState,
    sent: SentIds,
    readonly marks: Marks | undefined,
    unreadable: boolean,
  ) {
    this.sent = sent;
    this.#changed = unreadable;
  }

  /** Opens `target`'s record under `root`, telling `warn` of what it could not read. */
  static async open(
    root: string,
    target: string,
    warn: (message: string) => void,
  ): Promise<PushRecord> {
    const indexPath = join(root, EXPORT_STATE);
    const text = await readText(indexPath);
    const problem = text === undefined ? undefined : cursorProblem(text);
    if (problem !== undefined) {
      warn(
        `${indexPath}: ${problem}; it is rebuilt when this push ends (the ids sent are kept ` +
          `in ${join(root, EXPORT_SENT)}, so nothing they name is sent again)`,
      );
    }
    const index = parseCursor(text ?? "");
    const idsPath = join(root, ".kittify", idsFileOf(target));
    const bytes = await readBytes(idsPath);
    const sent = SentIds.from(bytes ?? new Uint8Array());
    const known = index.targets[target]?.events ?? 0;
    if (bytes !== undefined && bytes.length % KEY_BYTES !== 0) {
      warn(`${idsPath}: its last id was cut short (a push stopped while writing it): sent again`);
    }
    if (sent.size < known) {
      warn(
        `${idsPath}: ${bytes === undefined ? "missing" : `${sent.size} ids`} where the last push ` +
          `left ${known}: the events it does not name are sent again (the same ids: backends ` +
          `that de-duplicate can)`,
      );
    }
    // Torn, or the same ids twice (after --full): written again, each key once.
    if (bytes !== undefined && bytes.length !== sent.size * KEY_BYTES) {
      await replaceFile(idsPath, sent.bytes());
    }
    const marks = index.marks[target];
    return new PushRecord(target, indexPath, idsPath, index, sent, marks, problem !== undefined);
  }

  /**
   * Whether `event` (whose id has `key`) was sent to the target: its key is
   * in the file, or an older index's marks count it (then its key is noted,
   * to be carried over by {@linkcode PushRecord.carryOver}).
   */
  knows(event: ExportRow["event"], key: IdKey): boolean {
    if (this.sent.has(key)) return true;
    if (this.marks === undefined || !wasSent(this.marks, event)) return false;
    this.sent.add(key);
    this.#carried.push(key[0], key[1]);
    return true;
  }

  /** Writes the keys an older index's marks counted as sent into the file; the marks go. */
  async carryOver(): Promise<void> {
    if (this.marks === undefined) return;
    await this.append(this.#carried);
    delete this.index.marks[this.target];
    this.#changed = true;
    await this.close();
  }

  /** Records the keys of events a receiver accepted. */
  async append(keys: readonly number[]): Promise<void> {
    if (keys.length === 0) return;
    await Deno.mkdir(dirname(this.idsPath), { recursive: true });
    await Deno.writeFile(this.idsPath, keyBytes(keys), { append: true });
    const key: IdKey = [0, 0];
    for (let i = 0; i < keys.length; i += 2) {
      key[0] = keys[i];
      key[1] = keys[i + 1];
      this.sent.add(key);
    }
    this.#changed = true;
  }

  /** Replaces the index (if anything changed), naming this target's file and how many ids it holds. */
  async close(): Promise<void> {
    if (!this.#changed) return;
    const ids = idsFileOf(this.target);
    this.index.targets[this.target] = { ids, events: this.sent.size };
    await Deno.mkdir(dirname(this.indexPath), { recursive: true });
    await replaceFile(this.indexPath, JSON.stringify(this.index, null, 2) + "\n");
  }
}

async function readText(path: string): Promise<string | undefined> {
  const bytes = await readBytes(path);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

async function readBytes(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
