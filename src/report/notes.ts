/**
 * What a reader of any format must know beside the numbers: unpriced events,
 * with the fix (a price, or `--model` when no model was recorded). Lines for
 * stderr, whatever the format. (Skipped lines, duplicates and conflicts are
 * warned about while reading.)
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";

/** The label of a missing model among the unpriced models. */
const NO_MODEL = "(none)";

/**
 * The notes for a view, one line each (no trailing newline), empty when
 * there is nothing to say.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costNotes } from "./notes.ts";
 * const total = { unpriced_event_count: 1, unpriced_models: ["(none)"] };
 * const view = { total } as never;
 * assert.match(costNotes(view)[0], /record the model with --model/);
 * ```
 */
export function costNotes(view: CostView, pricingFile = ".kittify/pricing.yaml"): string[] {
  const notes: string[] = [];
  const t = view.total;
  if (t.unpriced_event_count > 0) {
    const named = t.unpriced_models.filter((m) => m !== NO_MODEL);
    const fixes = [
      ...(named.length > 0 ? [`add prices for ${named.join(", ")} in ${pricingFile}`] : []),
      ...(t.unpriced_models.includes(NO_MODEL)
        ? ["record the model with --model (some events name none)"]
        : []),
    ];
    notes.push(
      `note: ${t.unpriced_event_count} event(s) have no reported cost and no price (models: ${
        t.unpriced_models.join(", ")
      }); they count as $0, so the total is a lower bound: ${fixes.join("; ")}`,
    );
  }
  return notes;
}
