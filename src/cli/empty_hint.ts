/**
 * When filters match nothing, say what exists: `--agent Claude` matches no
 * event, known agents are `claude, codex`. A note on stderr; the exit code
 * stays 0 (an empty answer is an answer).
 *
 * @module
 */
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { canonicalModel } from "../cost/canonical_model.ts";
import { nameKey } from "../event/name_key.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { COST_REDUCER } from "../dynamic_modules.ts";
import { EXECUTION_EVENT, fieldOf, PAYLOAD_GROUPS, type PayloadGroup } from "../event/fields.ts";
import { parallelScan } from "../read/parallel_scan.ts";
import { featureMatches } from "../query/filter.ts";
import { matchingLogs } from "../query/query.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import { didYouMean } from "./suggest.ts";
import { outsideProjectNote } from "./args.ts";
import { filtersEcho, type FilterValues } from "./filter_flags.ts";
import type { CliIo } from "./io.ts";

/** The filter flags whose values can be listed: each is named after its group key. */
const LISTED: readonly PayloadGroup[] = PAYLOAD_GROUPS.map(([group]) => group);

/** The filter flags as given (only those listed matter here). */
type Given = Partial<Record<PayloadGroup | "feature", string[]>>;

/**
 * The notes for filter values no event has (each with the values that do
 * exist), or a single note that the values exist but not together. Reads
 * the project once more: call it only when the answer was empty.
 *
 * @example
 * ```ts ignore
 * const notes = await emptyHints(layout, { agent: ["Claude"] }, pricing);
 * // ['note: --agent "Claude" matches no event; known agents: claude, codex (did you mean claude?)']
 * ```
 */
export async function emptyHints(
  layout: ProjectLayout,
  given: Given,
  pricing: PricingTable,
): Promise<string[]> {
  const notes: string[] = [];
  const features = await layout.features();
  for (const pattern of given.feature ?? []) {
    if (!features.some((f) => featureMatches(f, pattern))) {
      notes.push(
        `note: --feature ${JSON.stringify(pattern)} matches no feature; known features: ${
          features.join(", ") || "none yet"
        }${didYouMean(pattern, features)}`,
      );
    }
  }
  const asked = LISTED.filter((flag) => (given[flag] ?? []).length > 0);
  if (asked.length > 0) {
    const init: CostScanInit = {
      groupBy: [...asked],
      pricing,
      filter: { types: [EXECUTION_EVENT] },
    };
    const partial = await parallelScan<CostScanInit, CostPartial>(
      await matchingLogs(layout, {}),
      COST_REDUCER.href,
      init,
      () => {},
    );
    const priced = PAYLOAD_GROUPS.find(([, key]) => fieldOf(key)?.priced)?.[0];
    for (const flag of asked) {
      const known = [...new Set(partial.groups.map((g) => g.key[flag]))]
        .filter((v): v is string => v !== null).sort();
      const norm = (v: string) => flag === priced ? canonicalModel(pricing, v) : nameKey(v);
      for (const value of given[flag] ?? []) {
        if (known.includes(norm(value))) continue;
        notes.push(
          `note: --${flag} ${JSON.stringify(value)} matches no event; known ${flag}s: ${
            known.join(", ") || "none"
          }${didYouMean(value, known)}`,
        );
      }
    }
  }
  if (notes.length === 0) notes.push("note: no event matches all the filters together");
  return notes;
}

/**
 * The note for a project with no event log at all (a first `cost` or
 * `query`): how to record a run. None once any feature has a log.
 *
 * @example
 * ```ts ignore
 * await nothingRecordedNote(new ProjectLayout("/repo"));
 * // ["note: no runs recorded yet in /repo (no kitty-specs/<feature>/execution.events.jsonl): ..."]
 * ```
 */
export async function nothingRecordedNote(layout: ProjectLayout): Promise<string[]> {
  // spec-kitty makes a feature's folder (its spec) long before any run: a folder is not a log.
  for (const log of await matchingLogs(layout, {})) {
    if (await Deno.lstat(log).then(() => true, () => false)) return [];
  }
  return [
    `note: no runs recorded yet in ${layout.root} (no kitty-specs/<feature>/execution.events.jsonl): ` +
    "record one with `kitty-telemetry emit --feature 001-my-feature --agent claude --role implementer " +
    "--model claude-sonnet-4-5 --input-tokens 1200 --output-tokens 300` (see emit --help)",
  ];
}

/**
 * The notes for an empty answer of `cost` or `query`, one rule for both:
 * not in a project (where it looked), else nothing recorded yet (how to
 * record), else, with filters, what the filter values could have been.
 * `pricing` is asked for only when the hints need it.
 *
 * @example
 * ```ts ignore
 * const notes = await emptyAnswerNotes(io, values.root, layout, values, async () => pricing);
 * ```
 */
export async function emptyAnswerNotes(
  io: CliIo,
  rootFlag: string | undefined,
  layout: ProjectLayout,
  values: FilterValues & Given,
  pricing: () => Promise<PricingTable>,
): Promise<string[]> {
  const outside = await outsideProjectNote(io, rootFlag);
  const nothing = outside.length > 0 ? [] : await nothingRecordedNote(layout);
  // Outside a project or with nothing recorded, no filter value is known: the hints would
  // list nothing ("known agents: none" under a note that says where it looked).
  const known = outside.length === 0 && nothing.length === 0;
  const hints = known && Object.keys(filtersEcho(values)).length > 0
    ? await emptyHints(layout, values, await pricing())
    : [];
  return [...outside, ...nothing, ...hints];
}
