/**
 * What a budget is, apart from how its file is read: the filter keys, the
 * default warning point and the parsed budget. Free of the YAML parser and
 * the schema library, which only `budget_file.ts` loads (when a budgets file
 * exists), so `report` and `emit --check-budgets` without one load neither.
 *
 * @module
 */
import { PAYLOAD_GROUPS, type PayloadGroup } from "../event/fields.ts";
import type { Period } from "./period.ts";

/** A dimension a budget can filter on: the feature, or a field `cost` groups by. */
export type FilterKey = "feature" | PayloadGroup;

/** The filters a budget may have, named as `cost`'s flags (`feature`, `wp`, ...). */
export const FILTER_KEYS: readonly FilterKey[] = [
  "feature",
  ...PAYLOAD_GROUPS.map(([group]) => group),
];

/** The fraction of its limit at which a budget warns when the file does not say. */
export const DEFAULT_WARN_AT = 0.8;

/** A budget, parsed: limits in exact 1e-15 USD units. */
export interface Budget {
  /** Its name, unique in the file. */
  name: string;
  /** Its filters: each key's values match any (as `cost`'s repeated flags). */
  filters: Map<FilterKey, string[]>;
  /** Its period. */
  period: Period;
  /** The limit in 1e-15 USD. */
  limit: bigint;
  /** The warning threshold as a fraction of the limit, as written (0.8). */
  warnFraction: number;
  /** The same, scaled by 1e15 for exact comparisons. */
  warnAt: bigint;
}
