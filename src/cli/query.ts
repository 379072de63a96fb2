/**
 * `kitty-telemetry query`: matching events as JSON lines, in total order.
 *
 * @module
 */
import { encodeEvent } from "../event/line_encode.ts";
import { queryEvents } from "../query/query.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags } from "./filter_flags.ts";
import type { CliIo } from "./io.ts";
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
  const filter = filterFromFlags(values, io.now().getTime());
  const root = await resolveRoot(io, values.root);
  const warnings = warningSink(io);
  const events = await queryEvents(new ProjectLayout(root), filter, warnings.warn);
  await warnings.flush();
  // Write in batches: one write per event is slow on big results.
  for (let i = 0; i < events.length; i += 1000) {
    const batch = events.slice(i, i + 1000).map((e) => encodeEvent(e) + "\n").join("");
    await io.stdout(batch);
  }
  return 0;
}
