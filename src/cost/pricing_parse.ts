/**
 * Parsing pricing YAML that comes from outside the program (project
 * overrides) with the schemas, into errors that name the file, the line and
 * the problem.
 *
 * @module
 */
import { parseYaml, YAMLException } from "../yaml.ts";
import { DataError } from "../errors.ts";
import type { AliasOnly, ModelPrice, PricingTable } from "./pricing.ts";
import { toModelPrice } from "./pricing_entry.ts";
import { PricingFileSchema } from "./pricing_schema.ts";

/**
 * Parses pricing YAML (our layout, or spec-kitty's per-1k layout).
 * Throws {@linkcode DataError} naming `file:line` on any problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePricing } from "./pricing_parse.ts";
 * const t = parsePricing("models:\n  m: {input: 1, output: 2}\n", "p.yaml");
 * assert.ok(t.entries[0].id === "m");
 * ```
 */
export function parsePricing(text: string, file: string): PricingTable {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = (error.mark?.line ?? 0) + 1;
      throw new DataError(`${file}:${line}: invalid YAML (${error.reason})`);
    }
    throw error;
  }
  const parsed = PricingFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String);
    const line = lineOf(text, path);
    const where = path.length > 0 ? path.join(".") : "(file)";
    const what = issue.code === "unrecognized_keys"
      ? `unknown field ${issue.keys.join(", ")}`
      : issue.message;
    throw new DataError(`${file}:${line}: ${where}: ${what}`);
  }
  const all = Object.entries(parsed.data.models).map(([id, entry]) =>
    toModelPrice(id, entry, file)
  );
  checkUniqueNames(all.map((e) => [e.id, ...e.aliases]), file, text);
  const updated = parsed.data.updated;
  return {
    updated: updated instanceof Date ? updated.toISOString().slice(0, 10) : updated ?? null,
    entries: all.filter((e): e is ModelPrice => "periods" in e),
    alias_only: all.filter((e): e is AliasOnly => !("periods" in e)),
    overrides: [file],
  };
}

function checkUniqueNames(names: string[][], file: string, text: string): void {
  const seen = new Set<string>();
  for (const name of names.flat()) {
    if (seen.has(name)) {
      throw new DataError(
        `${file}:${lineOfRepeat(text, name)}: model name ${
          JSON.stringify(name)
        } is given twice (as an id or alias)`,
      );
    }
    seen.add(name);
  }
}

/**
 * Best-effort line of a YAML path: follows each key down the indentation.
 * YAML parsers do not report value positions; this keeps errors pointable.
 */
function lineOf(text: string, path: string[]): number {
  const lines = text.split("\n");
  let line = 0;
  let indent = -1;
  for (const key of path) {
    if (/^\d+$/.test(key)) {
      // The list item: the (key + 1)-th "- " line below, deeper than its key.
      let seen = -1;
      for (let i = line + 1; i < lines.length; i++) {
        const m = /^(\s*)-\s/.exec(lines[i]);
        if (m && m[1].length > indent && ++seen === Number(key)) {
          line = i;
          indent = m[1].length;
          break;
        }
      }
      continue;
    }
    const re = new RegExp(`^(\\s*)(-\\s*)?["']?${escape(key)}["']?\\s*:`);
    const at = lines.findIndex((l, i) => {
      if (i < line) return false;
      const m = re.exec(l);
      return m !== null && m[1].length > indent;
    });
    if (at === -1) break;
    line = at;
    indent = lines[at].length - lines[at].trimStart().length;
  }
  return line + 1;
}

/** The line of the second place `name` is written (as a key or list item). */
function lineOfRepeat(text: string, name: string): number {
  const re = new RegExp(`(^|[\\s\\[,-])["']?${escape(name)}["']?\\s*(:|,|\\]|$)`, "i");
  const lines = text.split("\n").map((l) => l.replace(/\s#.*$/, ""));
  const hits = lines.flatMap((l, i) => re.test(l) ? [i + 1] : []);
  return hits[1] ?? hits[0] ?? 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
