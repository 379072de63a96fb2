/**
 * An export's row from the byte readers' view of a line: the event's
 * fields the mapping reads, and whether its free text is all null (else the
 * line is decoded).
 *
 * @module
 */
import { EXECUTION_EVENT, PAYLOAD_FIELDS } from "../event/fields.ts";
import { type ExecutionView, LineView } from "../read/line_view.ts";

/**
 * The fields the mapping reads, from the view: its payload (free text all
 * null here), and the id and time cut from the bytes as short strings only
 * when asked for (the view's own getters cut them from the block's text, a
 * string as long as the block made for each block read, which piles up
 * until a full GC): the byte writer copies and hashes the id's bytes, and
 * the row has the time as a number.
 */
export class ViewEvent {
  readonly event_type = EXECUTION_EVENT;
  aggregate_id = "";
  lamport_clock = 0;
  node_id = "";
  readonly causation_id = null;
  payload: ExecutionView["payload"] = new LineView().payload;
  /** The block the line was read from (valid until the next line). */
  bytes: Uint8Array = new Uint8Array();
  /** Where the id's 26 bytes stand in {@linkcode ViewEvent.bytes}. */
  idAt = 0;
  #from = 0;
  #to = 0;

  /** Takes the fields of the line `view` read. */
  read(view: LineView): void {
    const b = view.chunk!.bytes;
    this.idAt = view.idFrom;
    this.aggregate_id = view.aggregate_id;
    this.lamport_clock = view.lamport_clock;
    this.node_id = view.node_id;
    this.payload = view.payload;
    this.bytes = b;
    this.#from = view.from;
    this.#to = view.to;
  }

  /** The id (cut from the bytes when asked: the byte writer copies the bytes). */
  get event_id(): string {
    return ascii(this.bytes, this.idAt, this.idAt + 26);
  }

  /** The time as written (cut from the bytes, valid until the next line). */
  get timestamp(): string {
    return ascii(this.bytes, this.#from, this.#to);
  }
}

/** Bytes the readers checked as ASCII, as a string. */
function ascii(b: Uint8Array, from: number, to: number): string {
  // Through a reused array: no view made per call.
  const codes = CODES;
  codes.length = to - from;
  for (let i = from; i < to; i++) codes[i - from] = b[i];
  return String.fromCharCode.apply(null, codes);
}
const CODES: number[] = [];

/** The payload's free-text keys, as the bytes spell them between quotes. */
const TEXT_KEYS = PAYLOAD_FIELDS.filter((f) => f.kind === "text").map((f) =>
  new TextEncoder().encode(`"${f.key}"`)
);
const NEWLINE = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
const NULL = new TextEncoder().encode("null");

/**
 * Whether every free-text field of the line `view` was read from is null
 * (or absent, its default): each key is found from the line's end back
 * (a quote inside a string is escaped, so a quoted name followed by a colon
 * is a key), then its value checked for `null`. The readers accepted the
 * line, so each key appears at most once.
 */
export function textFieldsNull(view: LineView): boolean {
  const chunk = view.chunk;
  if (chunk === undefined) return false;
  const b = chunk.bytes;
  // The view says where its line ends; should it not, the newline is found.
  let end = view.lineEnd;
  if (!(end > view.to && end <= chunk.end)) {
    end = b.indexOf(NEWLINE, view.to);
    if (end < 0 || end > chunk.end) end = chunk.end;
  }
  for (const key of TEXT_KEYS) {
    let at = end - key.length;
    for (; at >= 0 && b[at] !== NEWLINE; at--) {
      if (b[at] === key[0] && matchesAt(b, at, key)) {
        let p = at + key.length;
        while (b[p] === SPACE) p++;
        if (b[p] !== COLON) continue;
        p++;
        while (b[p] === SPACE) p++;
        if (!matchesAt(b, p, NULL)) return false;
        break;
      }
    }
  }
  return true;
}

function matchesAt(b: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (b[at + i] !== word[i]) return false;
  return true;
}
