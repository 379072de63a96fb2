/**
 * The values the wasm item writer takes from JS per item (`item_kernel.ts`):
 * each attribute the line does not spell as the item needs (provider,
 * canonical model, the cost and its source, sums), read by the table's own
 * `of` and turned into a number the program writes, or the id of a piece
 * of text. Generated per program, one call site per attribute. Pure.
 *
 * @module
 */
import type { ExportRow } from "./otlp_mapping.ts";
import type { ArgSpec } from "./item_program.ts";

/** Fills the args of a row (generated per program: one call site per attribute). */
export type ArgFill = (row: ExportRow) => boolean;

/** Generates the arg fill of `args` into `values`. */
export function compileFill(
  args: readonly ArgSpec[],
  values: Float64Array,
  valuePiece: (value: unknown) => number,
): ArgFill {
  const rows = args.map(({ as }, k) => {
    const read = `v = of[${k}](row);`;
    if (as === "piece") {
      return `${read} if (v === null || v === undefined) values[${k}] = -1;
        else if (v === last[${k}]) values[${k}] = ids[${k}];
        else { const id = valuePiece(v); if (id < 0) return false; last[${k}] = v; values[${k}] = ids[${k}] = id; }`;
    }
    if (as === "int") {
      return `${read} if (v === null || v === undefined) values[${k}] = NaN;
        else if (typeof v === "number" && Number.isSafeInteger(v)) values[${k}] = v;
        else if (typeof v === "bigint" && Number.isSafeInteger(Number(v))) values[${k}] = Number(v);
        else return false;`;
    }
    // Dollars as whole millionths, when that is the number's shortest text (see ByteOut.decimal).
    return `${read} n = Number(v); if (v === null || v === undefined || !Number.isFinite(n)) values[${k}] = NaN;
      else { const m6 = Math.round(n * 1e6);
        if (!(m6 >= 0 && m6 < 1e15 && m6 / 1e6 === n)) return false;
        values[${k}] = m6; }`;
  });
  const body = `return function fill(row) { let v, n; ${rows.join("\n")} return true; };`;
  return new Function("of", "values", "last", "ids", "valuePiece", body)(
    args.map((a) => a.spec.of),
    values,
    args.map(() => undefined),
    args.map(() => -1),
    valuePiece,
  ) as ArgFill;
}
