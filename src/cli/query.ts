/**
 * `kitty-telemetry query`: matching events as JSON lines (or a readable line
 * each), in clock order or by time.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { encodeEvent } from "../event/line_encode.ts";
import { isoInstantMs } from "../event/iso_time.ts";
import { compareEvents } from "../event/order.ts";
import { countedEvents, orderedEvents } from "../query/ordered.ts";
import { parallelScan } from "../read/parallel_scan.ts";
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { selectionRepeats } from "../cost/candidate_lines.ts";
import { DEFAULT_GROUP_BY } from "../cost/group_keys.ts";
import { COST_REDUCER } from "../dynamic_modules.ts";
import { writeOrdered } from "../query/write_ordered.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { helpText, parseFlags, parseInteger, resolveRoot, rootHelp } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags } from "./filter_flags.ts";
import { bytesOut, type CliIo } from "./io.ts";
import { effectivePricing, PRICE_HELP, PRICE_OPTIONS, priceChoice } from "./pricing_source.ts";
import { warningSink } from "./warnings.ts";
import { totalBytes, withProgress } from "./progress.ts";
import { matchingLogs } from "../query/query.ts";
import { type EventFilter, picksWithinLogs } from "../query/filter.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { UsageError } from "./errors.ts";
import { didYouMean } from "./suggest.ts";
import { fieldsLine, parseFields, QUERY_FIELDS, tableLine } from "./query_format.ts";
import { emptyAnswerNotes } from "./empty_hint.ts";

const ORDERS = ["clock", "time"] as const;
const FORMATS = ["json", "table"] as const;

/** `query --help`. */
export const QUERY_HELP = `Print matching events as JSON lines (or a readable line each).
Each event id once: the copy cost counts (a filter takes that copy or none).

Usage: kitty-telemetry query [filters] [--type TYPE] [--limit N] [--order clock|time]
                             [--format json|table] [--fields a,b,c] [--root DIR]

${FILTER_HELP}
  --type TYPE             event_type (e.g. ExecutionEvent)

Options:
  --limit N               at most N events (the first N in the order)
  --order clock|time      clock (default): (lamport_clock, node_id, event_id), the log's
                          order; time: by timestamp (gathers the result in memory)
  --format json|table     json (default): each event's line; table: a readable line per
                          event with its cost ("(est.)" estimated, — unpriced)
  --fields a,b,c          ${helpText(`JSON lines of these fields only: ${QUERY_FIELDS.join(", ")}`)}
  --json                  same as --format json
${PRICE_HELP}
${rootHelp()}
  -h, --help              show this help
`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  ...PRICE_OPTIONS,
  limit: { type: "string" },
  order: { type: "string" },
  format: { type: "string" },
  fields: { type: "string" },
  json: { type: "boolean" },
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `query`; resolves to the exit code. */
export async function queryCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(QUERY_HELP);
    return 0;
  }
  const limit = values.limit === undefined ? Infinity : parseInteger("--limit", values.limit, 1);
  const order = oneOf("--order", values.order ?? "clock", ORDERS);
  if (values.json && values.format !== undefined && values.format !== "json") {
    throw new UsageError(`--json and --format ${values.format} ask for two formats: give one`);
  }
  const format = oneOf("--format", values.format ?? "json", FORMATS);
  const fields = values.fields === undefined ? undefined : parseFields(values.fields);
  if (fields && format === "table") {
    throw new UsageError("--fields chooses JSON fields: it does not go with --format table");
  }
  const root = await resolveRoot(io, values.root);
  // `--model` matches every spelling of the model; the table prices each event.
  const prices = priceChoice(values);
  const pricing = values.model || format === "table"
    ? await effectivePricing(io, root, prices)
    : undefined;
  const filter = filterFromFlags(values, io.now().getTime(), pricing);
  const warnings = warningSink(io);
  const layout = new ProjectLayout(root);
  const written = await withProgress(
    io,
    async () => totalBytes(await matchingLogs(layout, filter)),
    () => writeQuery(layout, filter, warnings.warn, io, { limit, order, format, fields, pricing }),
    { streams: true },
  );
  await warnings.flush();
  if (written === 0) {
    const notes = await emptyAnswerNotes(
      io,
      values.root,
      layout,
      values,
      async () => pricing ?? await effectivePricing(io, root, prices),
    );
    if (notes.length > 0) await io.stderr(notes.map((n) => n + "\n").join(""));
  }
  return 0;
}

/** Thrown by the plain stream's first write when ids must be settled over all copies. */
const SETTLE = Symbol("settle");

/** What `query` prints, and how. */
interface QueryShape {
  limit: number;
  order: typeof ORDERS[number];
  format: typeof FORMATS[number];
  fields: ReturnType<typeof parseFields> | undefined;
  pricing: PricingTable | undefined;
}

/** Writes the matching events to stdout; resolves to how many. */
async function writeQuery(
  layout: ProjectLayout,
  filter: EventFilter,
  warn: (message: string) => void,
  io: CliIo,
  { limit, order, format, fields, pricing }: QueryShape,
): Promise<number> {
  let written = 0;
  // An id with copies the filter takes and copies it leaves prints its counted copy or none.
  const check = straddles(layout, filter);
  check.catch(() => {}); // awaited below on every path; this only keeps an early failure quiet
  let settle = false;
  const plain = format === "json" && !fields && order === "clock";
  if (plain) {
    // The plain stream: lines already canonical are copied from the log's
    // bytes to stdout's, not parsed and written again. Its first reading runs
    // while the check scans; the first write waits for the check, and gives way
    // to the settled reading below when some id needs it (nothing written yet).
    const told: string[] = [];
    const out = bytesOut(io);
    try {
      written = await writeOrdered(layout, filter, (m) => told.push(m), async (bytes) => {
        if (await check) throw SETTLE;
        await out(bytes);
      }, { limit });
      for (const message of told) warn(message);
    } catch (error) {
      if (error !== SETTLE) throw error;
      settle = true;
    }
    await check;
  } else settle = await check;
  const line = format === "table"
    ? (e: Event) => tableLine(e, pricing!)
    : fields
    ? (e: Event) => fieldsLine(e, fields)
    : encodeEvent;
  const events = settle ? countedEvents(layout, filter, warn) : orderedEvents(layout, filter, warn);
  const batches = plain && !settle ? [] : order === "time" ? byTime(events) : events;
  for await (const batch of batches) {
    const take = batch.slice(0, limit - written);
    await io.stdout(take.map((e) => line(e) + "\n").join(""));
    written += take.length;
    if (written >= limit) break;
  }
  return written;
}

/**
 * True when `filter` takes events within logs (not just whole logs) and some
 * id has copies it takes and copies it leaves. The copy that counts is the
 * first of all copies (as `cost` counts), so those ids are settled over
 * every event of the logs (`countedEvents`), which is slower; without such
 * an id the first copy the filter takes is the one that counts. Found by one
 * scan as `cost`'s, on every core, that tells no warnings (the query's own
 * reading tells them).
 */
async function straddles(layout: ProjectLayout, filter: EventFilter): Promise<boolean> {
  if (!picksWithinLogs(filter)) return false;
  const init: CostScanInit = {
    groupBy: [...DEFAULT_GROUP_BY],
    pricing: { updated: null, entries: [] },
    filter,
  };
  const partial = await parallelScan<CostScanInit, CostPartial>(
    await matchingLogs(layout, filter),
    COST_REDUCER.href,
    init,
    () => {},
  );
  return selectionRepeats(partial.ids, partial.otherIds).length > 0;
}

/** The events of `batches` by timestamp (ties in clock order), as one batch. */
async function* byTime(batches: AsyncIterable<Event[]>): AsyncGenerator<Event[]> {
  const all: { at: number; event: Event }[] = [];
  for await (const batch of batches) {
    for (const event of batch) all.push({ at: isoInstantMs(event.timestamp), event });
  }
  all.sort((a, b) => a.at - b.at || compareEvents(a.event, b.event));
  yield all.map((e) => e.event);
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `${flag}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(value)}${
      didYouMean(value, allowed)
    }`,
  );
}
