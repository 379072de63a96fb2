/**
 * HTML tables for the report: header cells, body cells with sort keys, and
 * a bar cell. Cell text is escaped here; `html` cells are trusted markup
 * built from escaped parts. Pure.
 *
 * @module
 */
import { esc } from "./html_format.ts";

/** One body cell. */
export interface Cell {
  /** Plain text (escaped here). */
  text?: string;
  /** Markup already escaped (a bar). */
  html?: string;
  /** A numeric sort key (the script sorts by it rather than the text). */
  sort?: number;
  /** A CSS class. */
  cls?: string;
}

/** One header cell: its label, and whether the column is text (left-aligned). */
export interface Column {
  /** The header. */
  label: string;
  /** Left-aligned text rather than a number. */
  text?: boolean;
}

/**
 * A table; `sortable` ones sort on a header click.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./html_table.ts";
 * const html = table("t", [{ label: "a" }], [[{ text: "<x>", sort: 1 }]], true);
 * assert.match(html, /<td data-sort="1">&lt;x&gt;<\/td>/);
 * assert.match(html, /class="sortable"/);
 * ```
 */
export function table(name: string, columns: Column[], rows: Cell[][], sortable = false): string {
  const head = columns.map((c) => `<th${c.text ? ' class="text"' : ""}>${esc(c.label)}</th>`);
  const body = rows.map((row) =>
    "<tr>" + row.map((cell) => {
      const attrs = (cell.sort !== undefined ? ` data-sort="${cell.sort}"` : "") +
        (cell.cls ? ` class="${esc(cell.cls)}"` : "");
      return `<td${attrs}>${cell.html ?? esc(cell.text ?? "")}</td>`;
    }).join("") + "</tr>"
  );
  return `<div class="scroll"><table data-table="${esc(name)}"${
    sortable ? ' class="sortable"' : ""
  }><thead><tr>${head.join("")}</tr></thead><tbody>${body.join("")}</tbody></table></div>`;
}

/**
 * A bar cell: `value` as a share of `max`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barCell } from "./html_table.ts";
 * assert.equal(barCell(1, 4).html, '<span style="width:25.0%"></span>');
 * ```
 */
export function barCell(value: number, max: number): Cell {
  const share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  return {
    html: `<span style="width:${(share * 100).toFixed(1)}%"></span>`,
    sort: value,
    cls: "bar",
  };
}
