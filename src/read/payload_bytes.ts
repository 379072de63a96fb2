/**
 * Reading an execution payload's values straight from bytes, for every
 * layout: a layout is the field table's payload rows in the order a writer
 * puts them, with that writer's separators. Each row's kind and nullability
 * come from the table, so the byte readers cannot disagree with the full
 * path on what a key accepts, and a new payload field is read here with no
 * code of its own. Keys are expected in layout order (the simdjson ondemand
 * way); a key that is not where expected is taken as missing and gets the
 * table's default, or, when required, sends the line to the full path.
 *
 * @module
 */
import type { FieldKind, FieldSpec } from "../event/fields.ts";
import { anyString, type ByteChunk, count, decimal, int32, scanned } from "./byte_scan.ts";
import { literal } from "./byte_literals.ts";
import type { NameCache } from "./line_view.ts";

const QUOTE = 0x22;
const NULL = literal("null");
const TRUE = literal("true");
const FALSE = literal("false");

/** The kinds a payload can hold, as small integers for the read loop's switch. */
const KIND_CODES: Partial<Record<FieldKind, number>> = {
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
  /** Each key as the first present one: `{`, the key quoted, its colon. */
  readonly firstKeys: PackedLiterals;
  /** Each key after another: the separator, the key quoted, its colon. */
  readonly nextKeys: PackedLiterals;

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
    this.firstKeys = new PackedLiterals(fields.map((f) => `{"${f.key}"${style.colon}`));
    this.nextKeys = new PackedLiterals(
      fields.map((f) => `${style.separator}"${f.key}"${style.colon}`),
    );
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
  const { bytes: b, view: d, end } = chunk;
  const { keys, kinds, nullable, required, held, defaults } = layout;
  let keyed = layout.firstKeys;
  for (let i = 0; i < keys.length; i++) {
    let at = p + keyed.lengths[i];
    if (p < 0 || at > end) at = -1;
    else {
      const { offsets, words } = keyed;
      for (let w = keyed.from[i]; w < keyed.to[i]; w++) {
        if (d.getFloat64(p + offsets[w], true) !== words[w]) {
          at = -1;
          break;
        }
      }
    }
    if (at < 0) {
      if (required[i] === 1) return -1;
      if (held[i] === 1) payload[keys[i]] = defaults[i];
      continue;
    }
    keyed = layout.nextKeys;
    p = at;
    let value: unknown = null;
    if (nullable[i] === 1 && p < end && b[p] === 0x6e) {
      p = NULL(d, end, p);
    } else {
      switch (kinds[i]) {
        case 0: { // name
          if (p >= end || b[p] !== QUOTE) return -1;
          const q = names.name(chunk, p + 1);
          if (q < 0) return -1;
          value = names.found;
          p = q + 1;
          break;
        }
        case 1: // count
          p = count(b, end, p);
          value = scanned.number;
          break;
        case 2: // usd
          p = decimal(chunk, p);
          if (p >= 0 && !(scanned.decimal <= 1e12)) return -1;
          value = scanned.decimal;
          break;
        case 3: // flag
          value = p < end && b[p] === 0x74;
          p = value ? TRUE(d, end, p) : FALSE(d, end, p);
          break;
        case 4: // text: checked, not kept
          if (p >= end || b[p] !== QUOTE) return -1;
          p = anyString(b, end, p + 1);
          if (p >= 0) p++;
          break;
        default: // integer
          p = int32(b, end, p);
          value = scanned.number;
      }
    }
    if (p < 0) return -1;
    if (held[i] === 1) payload[keys[i]] = value;
  }
  return p;
}
