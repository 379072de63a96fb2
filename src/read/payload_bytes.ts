/**
 * Reading an execution payload's values straight from bytes, for every
 * layout: a layout is the field table's payload rows in the order a writer
 * puts them, with that writer's separators. Each row's kind and nullability
 * come from the table, so the byte readers cannot disagree with the full
 * path on what a key accepts, and a new payload field is read here with no
 * code of its own. Keys are expected in layout order (the simdjson ondemand
 * way); a key that is not where expected is taken as missing and gets the
 * table's default, or, when required, sends the line to the full path. A
 * key the table does not have is skipped, its value checked, wherever it
 * stands (the line is then not verbatim).
 *
 * @module
 */
import type { FieldKind, FieldSpec } from "../event/fields.ts";
import { anyString, type ByteChunk, count, decimal, int32, scanned } from "./byte_scan.ts";
import { literal } from "./byte_literals.ts";
import { UnknownPairs } from "./unknown_pairs.ts";
import type { NameCache } from "./line_view.ts";

const NULL = literal("null");
const TRUE = literal("true");
const FALSE = literal("false");

/**
 * The kinds a payload can hold, as small integers for the read loop's
 * switch (the WebAssembly kernel's `$payload` switches on the same codes).
 */
export const KIND_CODES: Readonly<Partial<Record<FieldKind, number>>> = {
  name: 0,
  count: 1,
  usd: 2,
  flag: 3,
  text: 4,
  integer: 5,
};

/** How a writer spells separators: canonical `,"key":`, Python `, "key": `. */
export interface PayloadStyle {
  /** Between two key-value pairs. */
  separator: string;
  /** Between a key and its value. */
  colon: string;
}

/**
 * Key literals packed for an inline compare, eight bytes at a time: with
 * the brace or separator before the key, every literal is at least 8 bytes,
 * and as doubles of printable ASCII, equal words mean equal bytes.
 */
class PackedLiterals {
  readonly lengths: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly offsets: Int32Array;
  readonly words: Float64Array;

  constructor(literals: readonly string[]) {
    const offsets: number[] = [];
    const words: number[] = [];
    this.lengths = new Int32Array(literals.length);
    this.from = new Int32Array(literals.length);
    this.to = new Int32Array(literals.length);
    for (const [i, text] of literals.entries()) {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length < 8 || bytes.some((c) => c < 0x20 || c > 0x7e)) {
        throw new RangeError(`not an 8+ byte printable literal: ${text}`);
      }
      const view = new DataView(bytes.buffer);
      this.lengths[i] = bytes.length;
      this.from[i] = words.length;
      for (let o = 0; o < bytes.length; o += 8) {
        const at = Math.min(o, bytes.length - 8);
        offsets.push(at);
        words.push(view.getFloat64(at, true));
      }
      this.to[i] = words.length;
    }
    this.offsets = Int32Array.from(offsets);
    this.words = Float64Array.from(words);
  }
}

/**
 * The payload rows of one writer's layout, ready for {@linkcode readPayload}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_FIELDS } from "../event/fields.ts";
 * import { PayloadLayout } from "./payload_bytes.ts";
 * const layout = new PayloadLayout(PAYLOAD_FIELDS, { separator: ",", colon: ":" });
 * assert.equal(layout.keys[0], PAYLOAD_FIELDS[0].key);
 * ```
 */
export class PayloadLayout {
  /** The keys, in layout order. */
  readonly keys: readonly string[];
  /** Each key's kind code. */
  readonly kinds: Int8Array;
  /** 1 where null is a valid value. */
  readonly nullable: Uint8Array;
  /** 1 where the key may not be left out. */
  readonly required: Uint8Array;
  /** 1 where the view keeps the value (free text is checked, not kept). */
  readonly held: Uint8Array;
  /** The value a left-out key gets. */
  readonly defaults: readonly unknown[];
  /** Each key's literal as the first present one, and after another (as text). */
  readonly keyTexts: { readonly first: readonly string[]; readonly next: readonly string[] };
  /** Each key as the first present one: `{`, the key quoted, its colon. */
  readonly firstKeys: PackedLiterals;
  /** Each key after another: the separator, the key quoted, its colon. */
  readonly nextKeys: PackedLiterals;
  /** The reader generated for this layout (see `compile`). */
  readonly read: PayloadReader;
  /** Skips a key the table does not have (see `unknown_pairs.ts`). */
  readonly unknown: UnknownPairs;

  /** The layout of `fields`, in that order, spelled in `style`. */
  constructor(fields: readonly FieldSpec[], style: PayloadStyle) {
    const code = (f: FieldSpec) => {
      const c = KIND_CODES[f.kind];
      if (c === undefined) throw new RangeError(`no byte reader for kind ${f.kind} (${f.key})`);
      return c;
    };
    this.keys = fields.map((f) => f.key);
    this.kinds = Int8Array.from(fields, code);
    this.nullable = Uint8Array.from(fields, (f) => f.nullable ? 1 : 0);
    this.required = Uint8Array.from(fields, (f) => "default" in f ? 0 : 1);
    this.held = Uint8Array.from(fields, (f) => f.kind === "text" ? 0 : 1);
    this.defaults = fields.map((f) => f.default);
    this.keyTexts = {
      first: fields.map((f) => `{"${f.key}"${style.colon}`),
      next: fields.map((f) => `${style.separator}"${f.key}"${style.colon}`),
    };
    this.firstKeys = new PackedLiterals(this.keyTexts.first);
    this.nextKeys = new PackedLiterals(this.keyTexts.next);
    this.unknown = new UnknownPairs(this.keys, style);
    this.read = compile(this);
  }
}

/**
 * Reads the payload object that starts at `p` (its `{`) into
 * `payload`; returns the position after the last value (where the payload's
 * `}` must stand), or -1 when the line needs the full path. Names go
 * through `names`, so a name seen before makes no string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_FIELDS } from "../event/fields.ts";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { NameCache } from "./line_view.ts";
 * import { PayloadLayout, readPayload } from "./payload_bytes.ts";
 * const layout = new PayloadLayout(PAYLOAD_FIELDS, { separator: ",", colon: ":" });
 * const text = '{"agent":"claude","role":"r","input_tokens":12}';
 * const payload: Record<string, unknown> = {};
 * const end = readPayload(layout, new ByteChunk(new TextEncoder().encode(text)), 0, payload, new NameCache());
 * assert.equal(end, text.length - 1);
 * assert.equal(payload.input_tokens, 12);
 * assert.equal(payload.cost_usd, null); // left out: the table's default
 * ```
 */
export function readPayload(
  layout: PayloadLayout,
  chunk: ByteChunk,
  p: number,
  payload: Record<string, unknown>,
  names: NameCache,
): number {
  return layout.read(chunk, p, payload, names);
}

/** A layout's reader: straight-line code generated from its rows. */
type PayloadReader = (
  chunk: ByteChunk,
  p: number,
  payload: Record<string, unknown>,
  names: NameCache,
) => number;

/**
 * Generates the reader of one layout: the rows unrolled into straight-line
 * code with their key literals as constants and named stores, which V8
 * compiles as tightly as the hand-written reader it replaces (a loop over
 * the rows ran about a third slower: per-row lookups, a switch, keyed
 * stores that box every number). The code is made from the field table
 * alone; the differential tests hold it to the full path.
 */
function compile(layout: PayloadLayout): PayloadReader {
  const match = (keyed: PackedLiterals, i: number) => {
    const words = [];
    for (let w = keyed.from[i]; w < keyed.to[i]; w++) {
      words.push(`d.getFloat64(p + ${keyed.offsets[w]}, true) === ${keyed.words[w]}`);
    }
    const n = keyed.lengths[i];
    return `(p + ${n} <= end && ${words.join(" && ")} ? p + ${n} : -1)`;
  };
  const rows = layout.keys.map((key, i) => {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new RangeError(`not a plain key: ${key}`);
    const held = layout.held[i] === 1;
    const set = (value: string) => held ? `payload.${key} = ${value};` : "";
    // A left-out key is written back (as null): the line is not canonical.
    const missing = layout.required[i] === 1
      ? "return -1;"
      : `scanned.exact = 0; ${set(JSON.stringify(layout.defaults[i] ?? null))}`;
    const read = [
      // name
      `if (p >= end || b[p] !== 0x22) return -1; q = names.name(chunk, p + 1);
       if (q < 0) return -1; ${set("names.found")} p = q + 1;`,
      // count
      `p = count(b, end, p); if (p < 0) return -1; ${set("scanned.number")}`,
      // usd
      `p = decimal(chunk, p); if (p < 0 || !(scanned.decimal <= 1e12)) return -1;
       ${set("scanned.decimal")}`,
      // flag
      `if (p < end && b[p] === 0x74) { p = TRUE(d, end, p); ${set("true")} }
       else { p = FALSE(d, end, p); ${set("false")} } if (p < 0) return -1;`,
      // text: checked, not kept
      `if (p >= end || b[p] !== 0x22) return -1; p = anyString(b, end, p + 1);
       if (p < 0) return -1; p++;`,
      // integer
      `p = int32(b, end, p); if (p < 0) return -1; ${set("scanned.number")}`,
    ][layout.kinds[i]];
    const value = layout.nullable[i] === 1
      ? `if (p < end && b[p] === 0x6e) { p = NULL(d, end, p); if (p < 0) return -1; ${
        set("null")
      } } else { ${read} }`
      : read;
    return `at = first ? ${match(layout.firstKeys, i)} : ${match(layout.nextKeys, i)};
      while (at < 0 && (q = unknown.skip(chunk, p, first)) >= 0) {
        p = q; first = false; scanned.exact = 0; at = ${match(layout.nextKeys, i)};
      }
      if (at < 0) { ${missing} } else { first = false; p = at; ${value} }`;
  });
  const body = `return function readPayload(chunk, p, payload, names) {
    const b = chunk.bytes, d = chunk.view, end = chunk.end;
    if (p < 0) return -1;
    let at = 0, q = 0, first = true;
    ${rows.join("\n")}
    while ((q = unknown.skip(chunk, p, first)) >= 0) { p = q; first = false; scanned.exact = 0; }
    return p;
  };`;
  return new Function(
    "count",
    "decimal",
    "int32",
    "anyString",
    "scanned",
    "NULL",
    "TRUE",
    "FALSE",
    "unknown",
    body,
  )(
    count,
    decimal,
    int32,
    anyString,
    scanned,
    NULL,
    TRUE,
    FALSE,
    layout.unknown,
  ) as PayloadReader;
}
