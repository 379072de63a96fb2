/**
 * The wasm item writer's program (see `wasm/sha256/10_items.wat`), compiled
 * from the one attribute table (`EVENT_ATTRIBUTES`) and the items' fixed
 * text (`ITEM_TEXT`): a list of steps, each writing a fixed piece, a value
 * of the line as it stands (an attribute whose `of` is a copy of a field),
 * or a value JS computed for the item (every other attribute, by its `of`).
 * The line's values ("leaves") are numbered in the order `encodeEvent`
 * writes them: the envelope's, the payload's in its place. Pure.
 *
 * @module
 */
import { ENVELOPE_FIELDS, ENVELOPE_KEYS, PAYLOAD_FIELDS, PAYLOAD_KEYS } from "../event/fields.ts";
import { keyTexts } from "../event/line_encode.ts";
import type { ItemSignal } from "./otlp_encode.ts";
import { ITEM_TEXT } from "./item_bytes.ts";
import {
  type AttributeSpec,
  copiedField,
  EVENT_ATTRIBUTES,
  OPERATION,
  PAYLOAD_NAMES as P,
  VALUE_MEMBER,
} from "./otlp_mapping.ts";

/** A key of the Python writer's layout: its value's leaf, its text, and `PY_FLAG`s. */
export interface PythonKey {
  /** The leaf (-1: the payload object). */
  leaf: number;
  /** The key as written, with its quotes. */
  text: string;
  /** `PY_FLAG` bits. */
  flags: number;
}

/** What the Python layout's walk knows of a key (`30_python_walk.wat`). */
export const PY_FLAG = { required: 1, integer: 2, payload: 4, object: 8 } as const;

/** The kinds of fields whose values are integers. */
const INTEGER_KINDS: readonly string[] = ["count", "clock", "integer"];

/** The program's steps (the `.wat`'s `br_table` order). */
export const OP = {
  end: 0,
  /** Piece a. */
  piece: 1,
  /**
   * Attribute: leaf a (bit 16: an int) as it stands, opened by piece b
   * (after a value: `}},` and the key) or c (after an int: `"}},`);
   * nothing when the leaf is null. The arg steps open the same way.
   */
  leaf: 2,
  /** String leaf a without its quotes (else the item is left to JS). */
  inner: 3,
  /**
   * The time in nanoseconds, less leaf a's milliseconds (a = -1: none; a =
   * {@linkcode TIME_AGAIN}: the last time this item wrote, its bytes copied).
   */
  nanos: 4,
  /** The ids of leaf a (26 bytes): the trace id, piece b, the span id. */
  ids: 5,
  /** Attribute: the piece arg a names; nothing when it is < 0. */
  argPiece: 6,
  /** Attribute: integer arg a; nothing when NaN. */
  argInt: 7,
  /** Attribute: arg a's millionths as dollars; nothing when NaN. */
  argUsd: 8,
  /** Piece b when leaf a is `false`, else piece c (none when < 0). */
  ifFalse: 9,
  /** The attributes begin (the first has no comma). */
  attributes: 10,
  /** Leaf a must be null (else the item is left to JS). */
  isNull: 11,
  /** The attributes end: the last one's closing, then piece a. */
  attributesEnd: 12,
} as const;

/** `OP.nanos`'s leaf for "the time written last in this item, again" (a log's observed time). */
export const TIME_AGAIN = -2;

/** A value JS computes per item: which attribute, as what. */
export interface ArgSpec {
  /** The attribute. */
  spec: AttributeSpec;
  /** A string becomes a piece's number; an int or a double (millionths) a number. */
  as: "piece" | "int" | "usd";
}

/** What the writer is loaded with. */
export interface ItemProgram {
  /** The steps, four numbers each (op, a, b, c). */
  ops: number[];
  /** The fixed pieces, each once (numbered in order, or as `register` numbered them). */
  pieces: string[];
  /** The args, in slot order. */
  args: ArgSpec[];
  /** How many values a line of the layout has. */
  leafCount: number;
  /** The bytes before each value, and after the last. */
  gaps: number[];
  /** See `gaps`. */
  tail: number;
  /** The Python writer's keys in its (sorted) order, for its layout's walk. */
  python: PythonKey[];
}

/**
 * The bytes of text before each value of a verbatim line (`encodeEvent`'s
 * keys, the payload's opening before its first, its closing before the key
 * after it), and after the last (the braces still open).
 */
const { gaps: GAPS, tail: TAIL } = (() => {
  const gaps: number[] = [];
  let carry = "";
  for (const [i, text] of keyTexts(ENVELOPE_KEYS).entries()) {
    if (ENVELOPE_FIELDS[i].kind !== "object") {
      gaps.push((carry + text).length);
      carry = "";
      continue;
    }
    for (const [j, key] of keyTexts(PAYLOAD_KEYS).entries()) {
      gaps.push((j === 0 ? carry + text + key : key).length);
    }
    carry = "}";
  }
  return { gaps, tail: (carry + "}").length };
})();

/** The line's values in written order: envelope fields, the payload's in their place. */
const LEAVES: { payload: boolean; key: string }[] = ENVELOPE_FIELDS.flatMap((
  f,
): { payload: boolean; key: string }[] =>
  f.kind === "object"
    ? PAYLOAD_KEYS.map((key) => ({ payload: true, key }))
    : [{ payload: false, key: f.key }]
);

/** The number of the leaf of a field. */
function leafOf(payload: boolean, key: string): number {
  const at = LEAVES.findIndex((l) => l.payload === payload && l.key === key);
  if (at < 0) throw new RangeError(`no such field in the layout: ${key}`);
  return at;
}

/** The keys in the Python writer's order: sorted, the payload's in its place, sorted. */
const PYTHON: PythonKey[] = [...ENVELOPE_FIELDS].sort((a, b) => a.key < b.key ? -1 : 1).flatMap(
  (f): PythonKey[] => {
    const text = JSON.stringify(f.key);
    const integer = INTEGER_KINDS.includes(f.kind) ? PY_FLAG.integer : 0;
    if (f.kind !== "object") {
      return [{ leaf: leafOf(false, f.key), text, flags: PY_FLAG.required | integer }];
    }
    const payload = [...PAYLOAD_FIELDS].sort((a, b) => a.key < b.key ? -1 : 1).map((p) => ({
      leaf: leafOf(true, p.key),
      text: JSON.stringify(p.key),
      flags: PY_FLAG.payload | (INTEGER_KINDS.includes(p.kind) ? PY_FLAG.integer : 0) |
        ("default" in p && p.default === null ? 0 : PY_FLAG.required),
    }));
    return [{ leaf: -1, text, flags: PY_FLAG.required | PY_FLAG.object }, ...payload];
  },
);

/**
 * The program of `signal`'s items, or undefined when an attribute is of a
 * kind the writer has no step for (the export then writes every item in
 * JS). Pieces are numbered by `register` when given (the writer's table),
 * else in order of `pieces`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileProgram, OP } from "./item_program.ts";
 * const program = compileProgram("traces")!;
 * assert.equal(program.ops.length % 4, 0);
 * assert.equal(program.ops.at(-4), OP.end);
 * // The free text must be null; then a span opens (a comma first: items follow each other).
 * assert.equal(program.ops[0], OP.isNull);
 * assert.equal(program.ops[4], OP.piece);
 * assert.equal(program.pieces[program.ops[5]], ',{"traceId":"');
 * ```
 */
export function compileProgram(
  signal: ItemSignal,
  register?: (text: string) => number,
): ItemProgram | undefined {
  const pieces: string[] = [];
  const indexOf = new Map<string, number>();
  const piece = (text: string) => {
    let k = indexOf.get(text);
    if (k === undefined) {
      pieces.push(text);
      indexOf.set(text, k = register ? register(text) : pieces.length - 1);
    }
    return k;
  };
  const ops: number[] = [];
  const step = (op: number, a = 0, b = 0, c = 0) => ops.push(op, a, b, c);
  const id = leafOf(false, "event_id");
  const success = leafOf(true, P.success);
  const duration = leafOf(true, P.duration_ms);
  // The free text must be null: the status message and the table's cuts assume it.
  const text = PAYLOAD_FIELDS.filter((f) => f.kind === "text").map((f) => leafOf(true, f.key));
  const args: ArgSpec[] = [];
  const attributes = (end: string): boolean => {
    step(OP.attributes);
    for (const spec of EVENT_ATTRIBUTES) {
      const int = spec.type === "int";
      const open = `{"key":${JSON.stringify(spec.key)},"value":{"${VALUE_MEMBER[spec.type]}":${
        int ? '"' : ""
      }`;
      // Opened after a value's closing (the first attribute's is cut off in wasm).
      const after = piece("}}," + open);
      const afterInt = piece('"}},' + open);
      const field = copiedField(spec.of);
      if (field !== undefined) {
        step(OP.leaf, leafOf(field.payload, field.key) | (int ? 1 << 16 : 0), after, afterInt);
        continue;
      }
      const as = spec.type === "string"
        ? "piece"
        : spec.type === "int"
        ? "int"
        : spec.type === "double"
        ? "usd"
        : undefined;
      if (as === undefined) return false;
      const op = as === "piece" ? OP.argPiece : as === "int" ? OP.argInt : OP.argUsd;
      step(op, args.push({ spec, as }) - 1, after, afterInt);
    }
    step(OP.attributesEnd, piece(end));
    return true;
  };
  for (const leaf of text) step(OP.isNull, leaf);
  if (signal === "traces") {
    const [before, between, after] = ITEM_TEXT.spanIds;
    step(OP.piece, piece("," + before));
    step(OP.ids, id, piece(between));
    const name = JSON.stringify(`${OPERATION} `);
    step(OP.piece, piece(after + name.slice(0, -1)));
    step(OP.inner, leafOf(true, P.agent));
    step(OP.piece, piece('"' + ITEM_TEXT.spanStart));
    step(OP.nanos, duration);
    step(OP.piece, piece(ITEM_TEXT.spanEnd));
    step(OP.nanos, -1);
    step(OP.piece, piece(ITEM_TEXT.spanAttributes));
    if (!attributes("]")) return undefined;
    step(OP.ifFalse, success, piece(ITEM_TEXT.spanStatus + '""}'), -1);
    step(OP.piece, piece("}"));
  } else {
    step(OP.piece, piece("," + ITEM_TEXT.logOpen));
    step(OP.nanos, -1);
    step(OP.piece, piece(ITEM_TEXT.logObserved));
    // The same digits again: copied, not made twice.
    step(OP.nanos, TIME_AGAIN);
    step(OP.ifFalse, success, piece(ITEM_TEXT.logMiddle(true)), piece(ITEM_TEXT.logMiddle(false)));
    if (!attributes("")) return undefined;
    const [before, between, after] = ITEM_TEXT.logIds;
    step(OP.piece, piece(before));
    step(OP.ids, id, piece(between));
    step(OP.piece, piece(after));
  }
  step(OP.end);
  for (const key of PYTHON) piece(key.text);
  return { ops, pieces, args, leafCount: LEAVES.length, gaps: GAPS, tail: TAIL, python: PYTHON };
}
