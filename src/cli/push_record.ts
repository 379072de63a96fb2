/**
 * The I/O half of a push's record (`export/export_cursor.ts` and
 * `export/sent_ids.ts` are the pure half): the index
 * `.kittify/export-state.json` and each target's file of sent id keys
 * under `.kittify/export-sent/`, both git-ignored (one record per clone).
 * Keys are appended after each accepted request, so a push cut short (a
 * refused request, a crash, Ctrl-C) sends the rest next time and nothing
 * twice but the request in flight. The file is held under the OS lock for
 * the whole push: a second push to the target (cron and CI at once) waits
 * for the first to end, then reads what it sent. The index is replaced
 * once the push ends, with this target's entry updated in what it then holds.
 *
 * @module
 */
import { dirname, join } from "node:path";
import {
  cursorProblem,
  type CursorState,
  idsFileOf,
  type OlderRecords,
  olderRecords,
  parseCursor,
  wasSent,
} from "../export/export_cursor.ts";
import { type IdKey, KEY_BYTES, keyBytes, SentIds } from "../export/sent_ids.ts";
import type { ExportRow } from "../export/otlp_mapping.ts";
import { replaceFile } from "../merge/replace_file.ts";
import { LOCK_TIMEOUT_MS, openLocked } from "../store/feature_lock.ts";
import { writeAll } from "../store/append_whole.ts";
import { DataError } from "../errors.ts";

/** Where a clone keeps its push records' index. */
export const EXPORT_STATE = join(".kittify", "export-state.json");

/** Where a clone keeps its files of sent ids (one per target). */
export const EXPORT_SENT = join(".kittify", "export-sent");

/** What stands where the record's files or folders go: a folder, a file, or a file in the path. */
const MISPLACED = [Deno.errors.IsADirectory, Deno.errors.AlreadyExists, Deno.errors.NotADirectory];

/** One target's record, open for a push. */
export class PushRecord {
  /** The keys of the ids sent to the target before this push. */
  readonly sent: SentIds;
  /** Keys older records count as sent (marks, a filtered push's file), to carry over into the file. */
  readonly #carried: number[] = [];
  /** Whether the index needs writing: ids appended, records carried over, or it was unreadable. */
  #changed: boolean;

  private constructor(
    readonly root: string,
    readonly target: string,
    readonly indexPath: string,
    readonly index: CursorState,
    sent: SentIds,
    readonly older: OlderRecords,
    unreadable: boolean,
    readonly file: Deno.FsFile,
  ) {
    this.sent = sent;
    this.#changed = unreadable;
  }

  /**
   * Opens `target`'s record under `root` (the ids sent to a signal's URL,
   * whatever the filters), telling `warn` of what it could not read, and
   * `waits` (shown at once) when another push to the target holds it; `own`
   * is the target with this push's filter flags, the key older versions
   * kept a filtered push's record under.
   */
  static async open(
    root: string,
    target: string,
    own: string,
    warn: (message: string) => void,
    waits: (message: string) => Promise<void>,
  ): Promise<PushRecord> {
    try {
      const indexPath = join(root, EXPORT_STATE);
      const idsPath = join(root, ".kittify", idsFileOf(target));
      const existed = await Deno.lstat(idsPath).then(() => true, () => false);
      await Deno.mkdir(dirname(idsPath), { recursive: true });
      // Held until the push ends: a second push to this target waits, then reads what this one sent.
      if (await lockedNow(idsPath)) {
        await waits(
          `another push to ${target.slice(target.indexOf(" ") + 1)} is under way (${idsPath} is ` +
            `locked): waiting for it to end, at most ${LOCK_TIMEOUT_MS / 1000} s`,
        );
      }
      const file = await openLocked(idsPath);
      try {
        const text = await readText(indexPath);
        const problem = text === undefined ? undefined : cursorProblem(text);
        if (problem !== undefined) {
          warn(
            `${indexPath}: ${problem}; it is rebuilt when this push ends (the ids sent are kept ` +
              `in ${join(root, EXPORT_SENT)}, so nothing they name is sent again)`,
          );
        }
        const index = parseCursor(text ?? "");
        const bytes = await Deno.readFile(idsPath);
        const sent = SentIds.from(bytes);
        const known = index.targets[target]?.events ?? 0;
        const whole = bytes.length - bytes.length % KEY_BYTES;
        if (whole !== bytes.length) {
          warn(
            `${idsPath}: its last id was cut short (a push stopped while writing it): sent again`,
          );
          // In place: the file stays the one locked.
          await file.truncate(whole);
        }
        if (sent.size < known) {
          warn(
            `${idsPath}: ${existed ? `${sent.size} ids` : "missing"} where the last push ` +
              `left ${known}: the events it does not name are sent again (the same ids: backends ` +
              `that de-duplicate can)`,
          );
        }
        const older = olderRecords(index, target, own);
        const record = new PushRecord(
          root,
          target,
          indexPath,
          index,
          sent,
          older,
          problem !== undefined,
          file,
        );
        for (const other of older.files) {
          const keys = await readBytes(record.#pathOf(other));
          if (keys !== undefined) sent.addBytes(keys, record.#carried);
        }
        return record;
      } catch (error) {
        file.close();
        throw error;
      }
    } catch (error) {
      if (!MISPLACED.some((kind) => error instanceof kind)) throw error;
      // Before anything is sent: a record that cannot be kept would send it all again next time.
      throw new DataError(
        `${(error as Error).message}: a push keeps its record in ${EXPORT_STATE} (a file) and ` +
          `${EXPORT_SENT}/ (a folder) under ${root}: move aside what stands in their place`,
        { cause: error },
      );
    }
  }

  /**
   * Whether `event` (whose id has `key`) was sent to the target: its key is
   * in the file, or an older index's marks count it (then its key is noted,
   * to be carried over by {@linkcode PushRecord.carryOver}).
   */
  knows(event: ExportRow["event"], key: IdKey): boolean {
    if (this.sent.has(key)) return true;
    if (!this.older.marks.some((marks) => wasSent(marks, event))) return false;
    this.sent.add(key);
    this.#carried.push(key[0], key[1]);
    return true;
  }

  /** Writes the keys older records counted as sent into the file; those records go. */
  async carryOver(): Promise<void> {
    if (this.older.marks.length === 0 && this.older.files.length === 0) return;
    // Already in `sent` (`knows` and `#carry` put them there): written as they are.
    if (this.#carried.length > 0) await writeAll(this.file, keyBytes(this.#carried));
    this.#changed = true;
    await this.save();
    // Named in the index no more: the keys they held are in this target's file now.
    for (const key of this.older.files) await Deno.remove(this.#pathOf(key)).catch(() => {});
  }

  /** Records the keys of events a receiver accepted (those not recorded yet: `--full` resends). */
  async append(keys: readonly number[]): Promise<void> {
    const fresh: number[] = [];
    const key: IdKey = [0, 0];
    for (let i = 0; i < keys.length; i += 2) {
      key[0] = keys[i];
      key[1] = keys[i + 1];
      if (this.sent.add(key)) fresh.push(key[0], key[1]);
    }
    if (fresh.length === 0) return;
    await writeAll(this.file, keyBytes(fresh));
    this.#changed = true;
  }

  /**
   * Replaces the index (if anything changed) as it stands now (another
   * target's push may have ended meanwhile), naming this target's file and
   * how many ids it holds, without the older records carried over.
   */
  async save(): Promise<void> {
    if (!this.#changed) return;
    const now = parseCursor((await readText(this.indexPath)) ?? "");
    now.targets[this.target] = { ids: idsFileOf(this.target), events: this.sent.size };
    for (const key of this.older.files) delete now.targets[key];
    for (const key of this.older.carried) delete now.marks[key];
    await Deno.mkdir(dirname(this.indexPath), { recursive: true });
    await replaceFile(this.indexPath, JSON.stringify(now, null, 2) + "\n");
    this.#changed = false;
  }

  /** The file of a target's sent ids. */
  #pathOf(target: string): string {
    return join(this.root, ".kittify", idsFileOf(target));
  }

  /** Saves the index and lets the next push to the target go. */
  async close(): Promise<void> {
    try {
      await this.save();
    } finally {
      this.file.close();
    }
  }
}

/** Whether another open file holds `path`'s lock at this moment. */
async function lockedNow(path: string): Promise<boolean> {
  try {
    using file = await Deno.open(path, { read: true });
    if (!(await file.tryLock(true))) return true;
    await file.unlock();
  } catch {
    // Missing, or not a file: openLocked says what is wrong.
  }
  return false;
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
