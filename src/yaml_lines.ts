/**
 * Where a value sits in a YAML text, for errors that name a line: YAML
 * parsers report the line of a syntax error, not of a value a schema then
 * rejects. Pure, and apart from the parser so it loads nothing.
 *
 * @module
 */

/**
 * The 1-based line of a schema path (`["budgets", 1, "limit_usd"]`) in a
 * block-style YAML text: each key is followed down the indentation, and a
 * number picks that item of a `- ` list. Best effort: where the path cannot
 * be followed (flow style, say), the line of the deepest part found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { yamlLineOf } from "./yaml_lines.ts";
 * const text = "budgets:\n  - name: a\n    limit_usd: 1\n  - name: b\n    limit_usd: -1\n";
 * assert.equal(yamlLineOf(text, ["budgets", 1, "limit_usd"]), 5);
 * assert.equal(yamlLineOf(text, ["budgets", 0]), 2);
 * ```
 */
export function yamlLineOf(text: string, path: readonly PropertyKey[]): number {
  const lines = text.split("\n");
  let line = 0; // where the search for the next part starts
  let indent = -1; // the indentation the next part must exceed
  let found = 0; // the 0-based line of the deepest part found
  for (const part of path) {
    const at = typeof part === "number"
      ? itemLine(lines, line, indent, part)
      : keyLine(lines, line, indent, String(part));
    if (at === undefined) break;
    found = at.line;
    line = at.line;
    indent = at.indent;
  }
  return found + 1;
}

interface Place {
  line: number;
  indent: number;
}

/** The `index`-th `- ` item below `from`, deeper than `indent`. */
function itemLine(lines: string[], from: number, indent: number, index: number): Place | undefined {
  let itemIndent = -1;
  let seen = -1;
  for (let i = from; i < lines.length; i++) {
    const m = /^(\s*)(-\s*)?\S/.exec(lines[i]);
    if (!m || /^\s*#/.test(lines[i])) continue;
    const depth = m[1].length;
    if (i > from && depth <= indent) return undefined; // the parent ended
    if (m[2] === undefined) continue;
    if (itemIndent === -1) itemIndent = depth;
    if (depth < itemIndent) return undefined;
    if (depth === itemIndent && ++seen === index) {
      // A key on the item's own line sits after the dash.
      return { line: i, indent: depth };
    }
  }
  return undefined;
}

/** The line of `key:` below `from`, deeper than `indent` (or on an item's line). */
function keyLine(lines: string[], from: number, indent: number, key: string): Place | undefined {
  const re = new RegExp(`^(\\s*)(-\\s*)?["']?${escape(key)}["']?\\s*:`);
  for (let i = from; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    const depth = /^\s*/.exec(lines[i])![0].length;
    const onItemLine = i === from && m !== null && m[2] !== undefined;
    if (m && (m[1].length > indent || onItemLine)) {
      return { line: i, indent: m[2] === undefined ? depth : depth + m[2].length };
    }
    if (i > from && lines[i].trim() !== "" && !/^\s*#/.test(lines[i]) && depth <= indent) {
      return undefined; // the parent ended
    }
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
