/**
 * `kitty-telemetry query`: matching events as JSON lines, in total order.
 *
 * @module
 */
import { orderedLines } from "../query/ordered.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags } from "./filter_flags.ts";
import type { CliIo } from "./io.ts";
import { effectivePricing } from "./pricing_source.ts";
import { warningSink } from "./warnings.ts";

/** `query --help`. */
export const QUERY_HELP =
  `Print matching events as JSON lines, ordered by (lamport_clock, node_id, event_id).

Usage: kitty-telemetry query [filters] [--type TYPE] [--root DIR]

${FILTER_HELP}
  --type TYPE             event_type (e.g. ExecutionEvent)

Options:
  --json                  accepted for symmetry; output is always JSON lines
  --root DIR              project root (default: nearest ancestor with kitty-specs/ or .git)
  -h, --help              show this help
`;

const OPTIONS = {
  ...FILTER_OPTIONS,
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
  const root = await resolveRoot(io, values.root);
  // Only `--model` needs the table: it matches every spelling of the model.
  const pricing = values.model ? await effectivePricing(io, root, undefined) : undefined;
  const filter = filterFromFlags(values, io.now().getTime(), pricing);
  const warnings = warningSink(io);
  // Ordered without holding a large result: written a batch at a time.
  // Lines already canonical are copied from the log, not parsed and written again.
  for await (const batch of orderedLines(new ProjectLayout(root), filter, warnings.warn)) {
    await io.stdout(batch.map((e) => e.text + "\n").join(""));
  }
  await warnings.flush();
  return 0;
}
